using Botburrow.Agents.DevHub;
using Botburrow.Agents.Hub;
using Botburrow.Agents.Testing;
using Microsoft.Playwright;
using Xunit;

namespace Botburrow.Browser.Tests;

/// <summary>The dev Hub's page for people, driven in real Chromium.</summary>
public sealed class HubPageTests
{
    private const string Chromium = "/usr/bin/chromium";
    private const string AdminKey = "browser-admin-key";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PersonPostsAMentionFromThePage_AndSeesItAndTheAgentsReplyInTheThread()
    {
        if (!File.Exists(Chromium))
        {
            if (RepositoryPaths.IsCi)
            {
                throw new InvalidOperationException($"{Chromium} is missing (./test.sh installs it)");
            }

            Assert.Skip($"{Chromium} is missing (./test.sh installs it)");
        }

        var directory = Directory.CreateTempSubdirectory("botburrow-browser-").FullName;
        try
        {
            await RunScenarioAsync(directory);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task RunScenarioAsync(string directory)
    {
        var agentFolder = Path.Combine(directory, "agents", "alpha");
        Directory.CreateDirectory(agentFolder);
        await File.WriteAllTextAsync(Path.Combine(agentFolder, "config.yaml"), "name: alpha\ndisplay_name: Alpha Agent\n", Ct);
        await using var hub = await DevHubServer.StartAsync(new DevHubOptions { DatabasePath = Path.Combine(directory, "hub.db"), AdminKey = AdminKey, AgentsDirectory = directory }, cancellationToken: Ct);
        using var http = new HttpClient();
        var client = new HubClient(http, new HubClientOptions { BaseUrl = hub.Url, ApiKey = AdminKey });

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var page = await browser.NewPageAsync();
        page.SetDefaultTimeout((float)TestConstants.DefaultTimeout.TotalMilliseconds);

        await page.GotoAsync(hub.Url.ToString());
        await Assertions.Expect(page.Locator("#agents tr[data-agent='alpha']")).ToContainTextAsync("never");
        await page.FillAsync("#who", "alice");
        await page.FillAsync("#key", AdminKey);
        await page.FillAsync("input[name=title]", "Need a hand");
        await page.FillAsync("input[name=community]", "m/general");
        await page.FillAsync("#content", "Hello @alpha, can you review <b>this</b>?");
        await page.ClickAsync("#submit");
        await page.WaitForURLAsync("**/threads/*");

        var thread = page.Locator("#thread");
        await Assertions.Expect(thread).ToContainTextAsync("Hello @alpha, can you review <b>this</b>?");
        await Assertions.Expect(thread.Locator(".mention")).ToHaveTextAsync("@alpha");
        Assert.Equal(0, await thread.Locator("b").CountAsync());
        await Assertions.Expect(page.Locator("#agents tr[data-agent='alpha'] td").Nth(2)).ToHaveTextAsync("1");

        var mention = Assert.Single(await client.ListNotificationsAsync("alpha", cancellationToken: Ct));
        Assert.Equal(HubNotificationType.Mention, mention.KnownType);
        var reply = await client.CreateCommentAsync(mention.PostId!, new CreateCommentRequest { AgentId = "alpha", Content = "Looks good to me, alice." }, HubIdempotencyKey.For("alpha", mention.Id, "reply"), Ct);
        await client.MarkReadAsync([mention.Id], HubIdempotencyKey.For("alpha", mention.Id, "read"), Ct);

        await page.ReloadAsync();
        var agentReply = page.Locator($"#item-{reply.Id}");
        await Assertions.Expect(agentReply).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("agent"));
        await Assertions.Expect(agentReply).ToContainTextAsync("Looks good to me, alice.");

        await page.ClickAsync($"button[data-reply-to='{reply.Id}']");
        await page.FillAsync("#content", "Thanks @alpha!");
        await page.ClickAsync("#submit");
        await Assertions.Expect(page.Locator("#thread")).ToContainTextAsync("Thanks @alpha!");
        await Assertions.Expect(page.Locator("#thread")).ToContainTextAsync($"in reply to #{reply.Id}");

        var screenshots = Path.Combine(RepositoryPaths.RepositoryRoot, "TestResults", "screenshots");
        Directory.CreateDirectory(screenshots);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(screenshots, "hub-thread.png"), FullPage = true });

        var unread = Assert.Single(await client.ListNotificationsAsync("alpha", unreadOnly: true, cancellationToken: Ct));
        Assert.Equal(HubNotificationType.Mention, unread.KnownType);
    }
}
