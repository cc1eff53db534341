using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Botburrow.Agents.Hub;
using Botburrow.Agents.Testing;
using Xunit;

namespace Botburrow.Cli.Tests.Operations;

/// <summary>
/// <c>botburrow up --offline</c> as a child process: after one mention is answered, <c>/metrics</c> parses as strict
/// Prometheus text and carries every listed series with bounded labels; traces reach an OTLP endpoint.
/// </summary>
public sealed class MetricsScrapeTests
{
    private const string HubKey = "metrics-hub-key";

    private static readonly (string Name, string Type, string[] Labels)[] Listed =
    [
        ("botburrow_activations_total", "counter", ["task_type", "status"]),
        ("botburrow_activation_duration_seconds", "histogram", ["task_type"]),
        ("botburrow_activations_in_progress", "gauge", ["runner_id"]),
        ("botburrow_queue_depth", "gauge", ["priority"]),
        ("botburrow_queue_oldest_age_seconds", "gauge", ["priority"]),
        ("botburrow_queue_active_tasks", "gauge", []),
        ("botburrow_queue_agents_in_backoff", "gauge", []),
        ("botburrow_runner_info", "gauge", ["runner_id", "mode", "version"]),
        ("botburrow_runner_heartbeat_timestamp_seconds", "gauge", ["runner_id"]),
        ("botburrow_coordinator_is_leader", "gauge", ["instance_id"]),
        ("botburrow_leader_epoch", "gauge", ["instance_id"]),
        ("botburrow_poll_duration_seconds", "histogram", []),
        ("botburrow_tokens_consumed_total", "counter", ["model", "direction"]),
        ("botburrow_activation_cost_usd_total", "counter", ["model"]),
        ("botburrow_dead_letters", "gauge", []),
        ("botburrow_lease_reclaims_total", "counter", []),
        ("botburrow_work_enqueued_total", "counter", ["priority", "outcome"]),
    ];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AfterOneActivation_EveryListedSeriesIsScraped_AndTracesAreExported()
    {
        var directory = Directory.CreateTempSubdirectory("botburrow-metrics-").FullName;
        var hubPort = FreePort.Next();
        var port = FreePort.Next();
        var otlpPort = FreePort.Next();
        using var otlp = new HttpListener();
        otlp.Prefixes.Add($"http://127.0.0.1:{otlpPort}/");
        otlp.Start();
        var traces = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var receiver = ReceiveTracesAsync(otlp, traces);
        try
        {
            await using (var up = RunningCli.Start(
                ["up", "--offline", "--hub-port", hubPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--data-dir", directory],
                new Dictionary<string, string?>
                {
                    ["HUB_API_KEY"] = HubKey,
                    ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{otlpPort}",
                    ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
                    ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
                    ["OTEL_SERVICE_NAME"] = "botburrow-metrics-test",
                }))
            {
                await up.WaitForOutputAsync("Press Ctrl+C", Ct);
                var hubUrl = new Uri($"http://127.0.0.1:{hubPort}/");
                using var http = new HttpClient();
                var hub = new HubClient(http, new HubClientOptions { BaseUrl = hubUrl, ApiKey = HubKey });

                // The curl line `up` prints, as an HTTP request.
                using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(hubUrl, "api/v1/posts"))
                {
                    Content = new StringContent("{\"user\":\"you\",\"community\":\"m/general\",\"content\":\"@hub-helper hello\"}", Encoding.UTF8, "application/json"),
                };
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", HubKey);
                request.Headers.Add("Idempotency-Key", "metrics-hello-1");
                using var posted = await http.SendAsync(request, Ct);
                Assert.True(posted.IsSuccessStatusCode, await posted.Content.ReadAsStringAsync(Ct));
                var postId = JsonDocument.Parse(await posted.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("id").GetString()!;

                await WaitUntilAsync(async () => (await hub.GetPostAsync(postId, includeComments: true, Ct)).Comments?.Any(c => c.Author.Id == "hub-helper") == true, "hub-helper's reply", up);

                // The runner counts the activation after completing it; the reply is posted before that.
                IReadOnlyDictionary<string, MetricFamily> families = new Dictionary<string, MetricFamily>();
                await WaitUntilAsync(
                    async () =>
                    {
                        families = PrometheusText.Parse(await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/metrics"), Ct));
                        return families.TryGetValue("botburrow_activations_total", out var total)
                            && total.Samples.Any(s => s.Labels.GetValueOrDefault("task_type") == "inbox" && s.Labels.GetValueOrDefault("status") == "succeeded" && s.Value >= 1);
                    },
                    "botburrow_activations_total{task_type=\"inbox\",status=\"succeeded\"}",
                    up);

                foreach (var (name, type, labels) in Listed)
                {
                    Assert.True(families.TryGetValue(name, out var family), $"{name} is missing from /metrics");
                    Assert.Equal(type, family.Type);
                    Assert.NotEmpty(family.Samples);
                    Assert.Equal(labels.Order(StringComparer.Ordinal), family.LabelNames.Order(StringComparer.Ordinal));
                }

                Assert.DoesNotContain(families.Values, f => f.Name.StartsWith("botburrow_", StringComparison.Ordinal) && f.LabelNames.Contains("agent_id"));
                Assert.Equal(3, families["botburrow_queue_depth"].Samples.Select(s => s.Labels["priority"]).Distinct().Count());
                Assert.Equal(1, Assert.Single(families["botburrow_coordinator_is_leader"].Samples).Value);
                Assert.True(Assert.Single(families["botburrow_leader_epoch"].Samples).Value >= 1);
                Assert.Equal(1, Assert.Single(families["botburrow_runner_info"].Samples).Value);
                Assert.True(Assert.Single(families["botburrow_runner_heartbeat_timestamp_seconds"].Samples).Value > 1_700_000_000);
                var pollBuckets = families["botburrow_poll_duration_seconds"].Samples
                    .Where(s => s.Name.EndsWith("_bucket", StringComparison.Ordinal) && s.Labels["le"] != "+Inf")
                    .Select(s => double.Parse(s.Labels["le"], System.Globalization.CultureInfo.InvariantCulture));
                Assert.True(pollBuckets.Max() >= 30, "poll buckets must cover a 30 s long-poll");
                Assert.True(families["botburrow_poll_duration_seconds"].Samples.Single(s => s.Name == "botburrow_poll_duration_seconds_count").Value >= 1);

                var exported = await traces.Task.WaitAsync(TestConstants.DefaultTimeout, Ct);
                Assert.Contains("invoke_agent hub-helper", exported, StringComparison.Ordinal);
                Assert.Contains("botburrow-metrics-test", exported, StringComparison.Ordinal);
                Assert.Contains("gen_ai.operation.name", exported, StringComparison.Ordinal);
            }
        }
        finally
        {
            otlp.Stop();
            await receiver;
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Parser_RejectsMalformedText()
    {
        Assert.Throws<FormatException>(() => PrometheusText.Parse("x_total 1\n"));
        Assert.Throws<FormatException>(() => PrometheusText.Parse("# TYPE x counter\nx{a=\"1} 1\n"));
        Assert.Throws<FormatException>(() => PrometheusText.Parse("# TYPE x gauge\nx{1a=\"v\"} 1\n"));
        Assert.Throws<FormatException>(() => PrometheusText.Parse("# TYPE x gauge\nx one\n"));
        Assert.Throws<FormatException>(() => PrometheusText.Parse("# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n"));
        var ok = PrometheusText.Parse("# HELP g A \"gauge\".\n# TYPE g gauge\ng{a=\"x\\\"y\\\\z\\n\"} -1.5e3 1700000000000\n");
        Assert.Equal("x\"y\\z\n", Assert.Single(ok["g"].Samples).Labels["a"]);
    }

    private static async Task ReceiveTracesAsync(HttpListener listener, TaskCompletionSource<string> traces)
    {
        var received = new StringBuilder();
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using (var body = new MemoryStream())
            {
                await context.Request.InputStream.CopyToAsync(body);

                // OTLP/protobuf carries span names and resource attributes as plain UTF-8 strings.
                var text = Encoding.UTF8.GetString(body.ToArray());
                if (context.Request.Url?.AbsolutePath == "/v1/traces")
                {
                    received.Append(text);
                    var all = received.ToString();
                    if (all.Contains("invoke_agent hub-helper", StringComparison.Ordinal) && all.Contains("enqueue_work", StringComparison.Ordinal))
                    {
                        traces.TrySetResult(all);
                    }
                }
            }

            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/x-protobuf";
            context.Response.Close();
        }
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, RunningCli up)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            if (deadline.Elapsed > TestConstants.DefaultTimeout || up.HasExited)
            {
                throw new TimeoutException($"{what} did not happen in time.\nstdout:\n{up.StandardOutput}\nstderr:\n{up.StandardError}");
            }

            await Task.Delay(100, Ct);
        }
    }
}
