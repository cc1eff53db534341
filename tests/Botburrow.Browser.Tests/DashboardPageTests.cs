using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Botburrow.Agents.Redis;
using Botburrow.Agents.Testing;
using Microsoft.Playwright;
using Xunit;

namespace Botburrow.Browser.Tests;

/// <summary>
/// The fleet dashboard of <c>botburrow up</c> (on Redis, scripted brain that thinks for two minutes), driven in
/// real Chromium: a running activation shows up, Stop cancels it, Clear lifts a backoff. Screenshots go to
/// <c>TestResults/screenshots</c>.
/// </summary>
public sealed partial class DashboardPageTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private const string Chromium = "/usr/bin/chromium";
    private const string HubKey = "dashboard-hub-key";
    private const string AdminToken = "dashboard-admin-token";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task DashboardShowsARunningActivation_StopCancelsIt_ClearLiftsABackoff()
    {
        if (!File.Exists(Chromium))
        {
            if (RepositoryPaths.IsCi)
            {
                throw new InvalidOperationException($"{Chromium} is missing (./test.sh installs it)");
            }

            Assert.Skip($"{Chromium} is missing (./test.sh installs it)");
        }

        redis.EnsureAvailable();
        var directory = Directory.CreateTempSubdirectory("botburrow-dashboard-").FullName;
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

    private async Task RunScenarioAsync(string directory)
    {
        var script = Path.Combine(directory, "slow.json");
        await File.WriteAllTextAsync(script, """{"turns":[{"text":"a slow reply","delay_ms":120000}],"discovery_turns":[{"text":"SKIP"}]}""", Ct);
        var hubPort = FreePort.Next();
        var port = FreePort.Next();
        await using var connection = await RedisConnection.ConnectAsync(redis.Url, retryFor: TimeSpan.FromSeconds(10));
        var db = connection.Database;
        await db.ScriptEvaluateAsync("for _, k in ipairs(redis.call('KEYS', '*')) do redis.call('DEL', k) end return 0");

        await using var up = RunningCli.Start(
            ["up", "--hub-port", hubPort.ToString(CultureInfo.InvariantCulture), "--port", port.ToString(CultureInfo.InvariantCulture), "--data-dir", directory],
            new Dictionary<string, string?>
            {
                ["REDIS_URL"] = redis.Url,
                ["HUB_API_KEY"] = HubKey,
                ["ADMIN_TOKEN"] = AdminToken,
                ["SCRIPTED_BRAIN"] = script,
            });
        await up.WaitForOutputAsync("Press Ctrl+C", Ct);
        var dashboardUrl = DashboardUrl().Match(up.StandardOutput) is { Success: true } printed
            ? printed.Groups[1].Value
            : throw new InvalidOperationException("up printed no dashboard URL with a token:\n" + up.StandardOutput);

        using (var http = new HttpClient())
        using (var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"http://127.0.0.1:{hubPort}/api/v1/posts")))
        {
            request.Content = new StringContent("{\"user\":\"you\",\"community\":\"m/general\",\"content\":\"@hub-helper please think slowly\"}", Encoding.UTF8, "application/json");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", HubKey);
            request.Headers.Add("Idempotency-Key", "dashboard-1");
            using var response = await http.SendAsync(request, Ct);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Ct));
        }

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var page = await browser.NewPageAsync();
        page.SetDefaultTimeout((float)TestConstants.DefaultTimeout.TotalMilliseconds);
        Assertions.SetDefaultExpectTimeout((float)TestConstants.DefaultTimeout.TotalMilliseconds);
        var screenshots = Path.Combine(RepositoryPaths.RepositoryRoot, "TestResults", "screenshots");
        Directory.CreateDirectory(screenshots);

        // The URL `up` printed: its token becomes a cookie and leaves the address bar.
        await page.GotoAsync(dashboardUrl);
        Assert.Equal($"http://127.0.0.1:{port}/dashboard", page.Url);
        await Assertions.Expect(page.Locator("#leader")).Not.ToHaveTextAsync("none");

        // A running activation: agent, task, runner, age, attempt.
        var running = page.Locator("#activations tr[data-agent='hub-helper']");
        await Assertions.Expect(running).ToHaveCountAsync(1);
        var activationId = await running.GetAttributeAsync("data-activation");
        Assert.False(string.IsNullOrEmpty(activationId));
        await Assertions.Expect(running.Locator("td").Nth(1)).ToHaveTextAsync("inbox");
        await Assertions.Expect(running.Locator("td").Nth(4)).ToHaveTextAsync("1");
        await Assertions.Expect(page.Locator("#runners tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#runners tbody tr td").Nth(3)).ToContainTextAsync("hub-helper");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(screenshots, "dashboard-running.png"), FullPage = true });

        // Without the token the action is refused on the page; nothing stops.
        var row = page.Locator($"#activations tr[data-activation='{activationId}']");
        await row.Locator("button.stop").ClickAsync();
        await Assertions.Expect(page.Locator("#message")).ToContainTextAsync("ADMIN_TOKEN");
        await page.FillAsync("#admin-token", "wrong-token");
        await page.ClickAsync("#save-token");
        await row.Locator("button.stop").ClickAsync();
        await Assertions.Expect(page.Locator("#message")).ToContainTextAsync("ADMIN_TOKEN required");
        await Assertions.Expect(row).ToHaveCountAsync(1);

        // Stop cancels it: it leaves the running list and shows as cancelled among the recent activations.
        await page.FillAsync("#admin-token", AdminToken);
        await page.ClickAsync("#save-token");
        await row.Locator("button.stop").ClickAsync();
        await Assertions.Expect(row).ToHaveCountAsync(0);
        var finished = page.Locator($"#recent tr[data-activation='{activationId}']");
        await Assertions.Expect(finished.Locator(".outcome")).ToHaveTextAsync("cancelled");
        await Assertions.Expect(finished.Locator("a")).ToHaveAttributeAsync("href", $"/dashboard/transcripts/{activationId}");
        Assert.Equal(AdminToken, await page.EvaluateAsync<string>("() => sessionStorage.getItem('botburrow-admin-token')"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(screenshots, "dashboard-stopped.png"), FullPage = true });

        // Clear lifts a backoff.
        var until = TimeProvider.System.GetUtcNow().AddMinutes(10).ToUnixTimeSeconds();
        await db.HashSetAsync("work:failures", "trend-scout", 6);
        await db.HashSetAsync("work:backoff", "trend-scout", until);
        var backoff = page.Locator("#backoff tr[data-agent='trend-scout']");
        await Assertions.Expect(backoff.Locator("td").Nth(1)).ToHaveTextAsync("6");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(screenshots, "dashboard-backoff.png"), FullPage = true });
        await backoff.Locator("button.clear").ClickAsync();
        await Assertions.Expect(backoff).ToHaveCountAsync(0);
        Assert.False(await db.HashExistsAsync("work:backoff", "trend-scout"));
        Assert.False(await db.HashExistsAsync("work:failures", "trend-scout"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(screenshots, "dashboard-backoff-cleared.png"), FullPage = true });
    }

    [GeneratedRegex(@"Dashboard: (http://127\.0\.0\.1:\d+/dashboard\?token=[0-9a-f]+)")]
    private static partial Regex DashboardUrl();
}
