using System.Globalization;
using System.Text.RegularExpressions;
using Botburrow.Agents.Testing;
using Botburrow.Agents.Work;
using Microsoft.Playwright;
using Xunit;

namespace Botburrow.Browser.Tests;

/// <summary>
/// Reading the dashboard of <c>botburrow up --offline</c> in real Chromium: without the token the page and a
/// transcript are refused (401, problem body); the printed URL opens the page, leaves an HttpOnly cookie instead of
/// the token, and lets transcript links and the page's own refreshes through; without the cookie they stop.
/// </summary>
public sealed partial class DashboardAccessTests : IDisposable
{
    private const string Chromium = "/usr/bin/chromium";
    private const string ThreadText = "thread text only token holders may read";

    private readonly string _data = Directory.CreateTempSubdirectory("botburrow-dashboard-access-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task WithoutTheTokenRefused_ThePrintedUrlOpensThePage_TheCookieCarriesReads()
    {
        if (!File.Exists(Chromium))
        {
            if (RepositoryPaths.IsCi)
            {
                throw new InvalidOperationException($"{Chromium} is missing (./test.sh installs it)");
            }

            Assert.Skip($"{Chromium} is missing (./test.sh installs it)");
        }

        var port = FreePort.Next();
        await using var up = RunningCli.Start(["up", "--offline", "--hub-port", FreePort.Next().ToString(CultureInfo.InvariantCulture), "--port", port.ToString(CultureInfo.InvariantCulture), "--data-dir", _data]);
        await up.WaitForOutputAsync("Press Ctrl+C", Ct);
        var printed = DashboardUrl().Match(up.StandardOutput);
        Assert.True(printed.Success, "up printed no dashboard URL with a token:\n" + up.StandardOutput);
        var token = printed.Groups["token"].Value;
        await new EmbeddedTranscriptStore(Path.Combine(_data, "transcripts")).SaveAsync(
            new ActivationTranscript
            {
                ActivationId = "act-browser",
                AgentId = "hub-helper",
                Task = TaskType.Inbox,
                StartedAt = TimeProvider.System.GetUtcNow(),
                Outcome = "succeeded",
                Conversations = [new TranscriptConversation { Subject = "notification 1", Entries = [new TranscriptEntry { Kind = "text", Role = "user", Text = ThreadText }] }],
            },
            TimeSpan.FromDays(1),
            Ct);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout((float)TestConstants.DefaultTimeout.TotalMilliseconds);
        Assertions.SetDefaultExpectTimeout((float)TestConstants.DefaultTimeout.TotalMilliseconds);
        var screenshots = Path.Combine(RepositoryPaths.RepositoryRoot, "TestResults", "screenshots");
        Directory.CreateDirectory(screenshots);
        var origin = $"http://127.0.0.1:{port}";

        // Without the token: 401 with a problem body, and no thread text.
        foreach (var path in new[] { "/dashboard", "/dashboard/transcripts/act-browser", "/dashboard?token=not-the-token" })
        {
            var refused = await page.GotoAsync(origin + path);
            Assert.NotNull(refused);
            Assert.Equal(401, refused.Status);
            var body = await refused.TextAsync();
            Assert.Contains("DASHBOARD_TOKEN required", body, StringComparison.Ordinal);
            Assert.DoesNotContain(ThreadText, body, StringComparison.Ordinal);
        }

        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(screenshots, "dashboard-refused.png"), FullPage = true });
        Assert.Empty(await context.CookiesAsync());

        // The printed URL: the page opens, the token leaves the address bar, an HttpOnly cookie takes its place.
        await page.GotoAsync(printed.Groups["url"].Value);
        Assert.Equal(origin + "/dashboard", page.Url);
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Botburrow fleet");
        await Assertions.Expect(page.Locator("#leader")).Not.ToHaveTextAsync("none");
        var cookie = Assert.Single(await context.CookiesAsync());
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        Assert.NotEqual(token, cookie.Value);
        Assert.Equal("", await page.EvaluateAsync<string>("() => document.cookie"));
        Assert.Equal(200, await page.EvaluateAsync<int>("async () => (await fetch('/api/v1/dashboard', {cache: 'no-store'})).status"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(screenshots, "dashboard-opened.png"), FullPage = true });

        // A transcript link works in the same browser.
        var transcript = await page.GotoAsync(origin + "/dashboard/transcripts/act-browser");
        Assert.Equal(200, transcript!.Status);
        await Assertions.Expect(page.Locator("#transcript")).ToContainTextAsync(ThreadText);
        await page.ClickAsync("text=Back to the dashboard");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Botburrow fleet");

        // Without the cookie the page's refresh is refused and says how to get back in.
        await context.ClearCookiesAsync();
        await Assertions.Expect(page.Locator("#status")).ToContainTextAsync("DASHBOARD_TOKEN required");
        Assert.Equal(401, await page.EvaluateAsync<int>("async () => (await fetch('/api/v1/dashboard', {cache: 'no-store'})).status"));
    }

    [GeneratedRegex(@"Dashboard: (?<url>http://127\.0\.0\.1:\d+/dashboard\?token=(?<token>[0-9a-f]+))")]
    private static partial Regex DashboardUrl();
}
