using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using Botburrow.Agents.Testing;
using Botburrow.Agents.Work;
using Xunit;

namespace Botburrow.Cli.Tests.Exposure;

/// <summary>
/// <c>botburrow up</c> as a laptop runs it, probed over real HTTP and the kernel's socket table: the port listens on
/// loopback only, <c>/metrics</c> and the health probes are open, and the dashboard, its JSON and transcripts need
/// the token <c>up</c> prints.
/// </summary>
public sealed partial class UpExposureTests : IDisposable
{
    private const string AdminToken = "exposure-admin-token";
    private const string ThreadText = "the private thread text of act-exposed";

    private readonly string _data = Directory.CreateTempSubdirectory("botburrow-exposure-").FullName;

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
    public async Task Up_ListensOnLoopbackOnly_AndRefusesTheDashboardAndTranscriptsWithoutTheToken()
    {
        var port = FreePort.Next();
        await using var up = RunningCli.Start(
            ["up", "--offline", "--hub-port", FreePort.Next().ToString(CultureInfo.InvariantCulture), "--port", port.ToString(CultureInfo.InvariantCulture), "--data-dir", _data],
            new Dictionary<string, string?> { ["ADMIN_TOKEN"] = AdminToken });
        await up.WaitForOutputAsync("Press Ctrl+C", Ct);

        // The kernel's view: every listener on the port is a loopback address, and other interfaces refuse.
        var listening = ListeningSockets.AddressesOf(port);
        Assert.NotEmpty(listening);
        Assert.All(listening, address => Assert.True(IPAddress.IsLoopback(address), $"up listens on {address}:{port}"));
        foreach (var address in OtherAddresses())
        {
            using var client = new TcpClient(address.AddressFamily);
            var refused = await Assert.ThrowsAsync<SocketException>(async () => await client.ConnectAsync(address, port, Ct));
            Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        }

        // The printed dashboard URL carries a token made for this run.
        var printed = DashboardLine().Match(up.StandardOutput);
        Assert.True(printed.Success, "no dashboard URL with a token in:\n" + up.StandardOutput);
        Assert.Equal(port, int.Parse(printed.Groups["port"].Value, CultureInfo.InvariantCulture));
        var token = printed.Groups["token"].Value;
        Assert.Equal(48, token.Length);

        await new EmbeddedTranscriptStore(Path.Combine(_data, "transcripts")).SaveAsync(Transcript(), TimeSpan.FromDays(1), Ct);
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };

        foreach (var open in new[] { "metrics", "health/live", "health/ready" })
        {
            using var response = await http.GetAsync(new Uri(open, UriKind.Relative), Ct);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"/{open} answered {(int)response.StatusCode} without a token");
        }

        foreach (var closed in new[] { "api/v1/dashboard", "dashboard/transcripts/act-exposed", "dashboard", "" })
        {
            foreach (var bearer in new[] { null, "wrong-token", token + "x" })
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(closed, UriKind.Relative));
                if (bearer is not null)
                {
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
                }

                using var refused = await http.SendAsync(request, Ct);
                var body = await refused.Content.ReadAsStringAsync(Ct);
                Assert.True(refused.StatusCode == HttpStatusCode.Unauthorized, $"/{closed} with {bearer ?? "no token"} answered {(int)refused.StatusCode}: {body}");
                Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
                using var problem = JsonDocument.Parse(body);
                Assert.Equal(401, problem.RootElement.GetProperty("status").GetInt32());
                Assert.Equal("DASHBOARD_TOKEN required", problem.RootElement.GetProperty("title").GetString());
                Assert.Equal("Bearer", Assert.Single(refused.Headers.WwwAuthenticate).Scheme);
                Assert.DoesNotContain(ThreadText, body, StringComparison.Ordinal);
            }
        }

        // The printed token, and ADMIN_TOKEN, read the transcript and the JSON.
        foreach (var bearer in new[] { token, AdminToken })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("dashboard/transcripts/act-exposed", UriKind.Relative));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
            using var transcript = await http.SendAsync(request, Ct);
            Assert.Equal(HttpStatusCode.OK, transcript.StatusCode);
            Assert.Contains(ThreadText, await transcript.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
            Assert.Equal("no-store", transcript.Headers.CacheControl?.ToString());

            using var json = new HttpRequestMessage(HttpMethod.Get, new Uri("api/v1/dashboard", UriKind.Relative));
            json.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
            using var snapshot = await http.SendAsync(json, Ct);
            Assert.Equal(HttpStatusCode.OK, snapshot.StatusCode);
            using var document = JsonDocument.Parse(await snapshot.Content.ReadAsStringAsync(Ct));
            Assert.Equal(3, document.RootElement.GetProperty("queues").GetArrayLength());
        }

        // The read token does not act: actions still need ADMIN_TOKEN.
        using (var stop = new HttpRequestMessage(HttpMethod.Post, new Uri("api/v1/activations/act-exposed/stop", UriKind.Relative)))
        {
            stop.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var refused = await http.SendAsync(stop, Ct);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        // A browser opens the printed URL: it gets a cookie (not the token) and is sent to the page without the token.
        using var opened = await http.GetAsync(new Uri(new Uri(printed.Groups["url"].Value).PathAndQuery, UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.Redirect, opened.StatusCode);
        Assert.Equal("/dashboard", opened.Headers.Location?.OriginalString);
        var setCookie = Assert.Single(opened.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(token, setCookie, StringComparison.Ordinal);
        var cookie = setCookie.Split(';')[0];
        var cookieName = cookie.Split('=')[0];

        foreach (var path in new[] { "dashboard", "api/v1/dashboard", "dashboard/transcripts/act-exposed" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
            request.Headers.Add("Cookie", cookie);
            using var allowed = await http.SendAsync(request, Ct);
            Assert.True(allowed.StatusCode == HttpStatusCode.OK, $"/{path} with the cookie answered {(int)allowed.StatusCode}");
        }

        // A cookie holding the token itself, or a wrong ?token=, is refused.
        using (var forged = new HttpRequestMessage(HttpMethod.Get, new Uri("api/v1/dashboard", UriKind.Relative)))
        {
            forged.Headers.Add("Cookie", $"{cookieName}={token}");
            using var refused = await http.SendAsync(forged, Ct);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        using var wrong = await http.GetAsync(new Uri("dashboard?token=wrong-token", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.False(wrong.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task Up_WithBindAddressAllInterfacesAndAChosenToken_ListensEverywhere_AndDoesNotPrintTheToken()
    {
        const string chosen = "chosen-dashboard-token";
        var port = FreePort.Next();
        await using var up = RunningCli.Start(
            ["up", "--offline", "--hub-port", FreePort.Next().ToString(CultureInfo.InvariantCulture), "--port", port.ToString(CultureInfo.InvariantCulture), "--data-dir", _data],
            new Dictionary<string, string?> { ["METRICS_BIND_ADDRESS"] = "0.0.0.0", ["DASHBOARD_TOKEN"] = chosen });
        await up.WaitForOutputAsync("Press Ctrl+C", Ct);

        Assert.Contains(IPAddress.Any, ListeningSockets.AddressesOf(port));
        Assert.Contains($"http://127.0.0.1:{port}/dashboard?token=<DASHBOARD_TOKEN>", up.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain(chosen, up.StandardOutput + up.StandardError, StringComparison.Ordinal);

        foreach (var address in OtherAddresses().Where(a => a.AddressFamily == AddressFamily.InterNetwork))
        {
            using var http = new HttpClient();
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://{address}:{port}/api/v1/dashboard"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", chosen);
            using var response = await http.SendAsync(request, Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("0.0.0.0:9090")]
    public async Task Up_WithAnInvalidBindAddress_PrintsOneLineNamingIt_ExitTwo(string value)
    {
        var result = await CliProcess.RunAsync(
            ["up", "--offline", "--data-dir", _data],
            new Dictionary<string, string?> { ["METRICS_BIND_ADDRESS"] = value },
            cancellationToken: Ct);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(
            $"METRICS_BIND_ADDRESS must be an IP address such as 127.0.0.1 (this machine only), ::1, 0.0.0.0 or :: (all interfaces), got '{value}' (env METRICS_BIND_ADDRESS)",
            result.StandardError.Trim());
    }

    /// <summary>This machine's addresses other than loopback (link-local IPv6 left out: it needs a scope).</summary>
    private static IEnumerable<IPAddress> OtherAddresses()
        => NetworkInterface.GetAllNetworkInterfaces()
            .Where(i => i.OperationalStatus == OperationalStatus.Up)
            .SelectMany(i => i.GetIPProperties().UnicastAddresses.Select(u => u.Address))
            .Where(a => !IPAddress.IsLoopback(a) && !a.IsIPv6LinkLocal);

    private static ActivationTranscript Transcript() => new()
    {
        ActivationId = "act-exposed",
        AgentId = "hub-helper",
        Task = TaskType.Inbox,
        StartedAt = TimeProvider.System.GetUtcNow(),
        Outcome = "succeeded",
        Conversations = [new TranscriptConversation { Subject = "notification 1", Entries = [new TranscriptEntry { Kind = "text", Role = "user", Text = ThreadText }] }],
    };

    [GeneratedRegex(@"Dashboard: (?<url>http://127\.0\.0\.1:(?<port>\d+)/dashboard\?token=(?<token>[0-9a-f]+))")]
    private static partial Regex DashboardLine();
}
