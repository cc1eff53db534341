using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Botburrow.Agents.Doctor;
using Botburrow.Agents.Definitions.Permissions;
using Botburrow.Agents.Definitions.Sources;
using Botburrow.Agents.Hub;
using Botburrow.Agents.Redis;
using Botburrow.Agents.Runner.Activation;
using Botburrow.Agents.Runner.Execution;
using Botburrow.Agents.Work;
using Microsoft.Extensions.DependencyInjection;

namespace Botburrow.Cli.Commands;

/// <summary>
/// <c>botburrow doctor [--json]</c>: the troubleshooting guide's automatable diagnoses as checks. A table for
/// people (remedies under each problem) or JSON for scripts; exit 1 when any check fails.
/// </summary>
internal sealed class DoctorCommand : Command
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private static readonly string[] Header = ["STATUS", "CHECK", "SUBJECT", "SEEN"];

    private readonly Option<bool> _json = new("--json") { Description = "Print the findings as JSON." };

    private readonly Option<bool> _offline = new("--offline") { Description = "Do not ask model providers whether LLM keys are accepted (keys are then only checked to be set)." };

    private readonly Option<Uri?> _coordinator = new("--coordinator")
    {
        Description = "A coordinator's HTTP address (e.g. http://coordinator.botburrow-agents.svc.cluster.local:9090): its /health/ready tells how long ago the leader last polled the Hub.",
        CustomParser = result =>
        {
            if (Uri.TryCreate(result.Tokens[0].Value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
            {
                return uri;
            }

            result.AddError($"--coordinator must be an http(s) URL, got '{result.Tokens[0].Value}'");
            return null;
        },
    };

    public DoctorCommand()
        : base("doctor", "Check the fleet: settings, Redis, leader, the leader's poll loop, Hub, queues, runners, backoff, leases, dead letters, looping agents, definitions and each agent's executor, credentials, MCP commands and LLM key (asked of the provider). Exit 1 when a check fails.")
    {
        Options.Add(_json);
        Options.Add(_offline);
        Options.Add(_coordinator);
        SetAction((parseResult, cancellationToken) => CliContext.RunAsync(parseResult, null, RunAsync, cancellationToken));
    }

    private async Task<int> RunAsync(CliContext context, CancellationToken cancellationToken)
    {
        var settings = context.Settings;
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddAgentDefinitions(settings);
        if (settings.HubUrl is not null)
        {
            services.AddHubClient(o =>
            {
                o.BaseUrl = settings.HubUrl;
                o.ApiKey = settings.HubApiKey;
                o.MaxAttempts = 1;
                o.RequestTimeout = TimeSpan.FromSeconds(10);
            });
        }

        services.AddRunner(settings, withService: false);
        await using var provider = services.BuildServiceProvider();
        var selector = provider.GetRequiredService<ExecutorSelector>();
        var brains = provider.GetRequiredService<BrainFactory>();
        var permissions = new PermissionsPolicySource(settings.AgentPermissionsPath);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var offline = context.ParseResult.GetValue(_offline);

        RedisConnection? connection = null;
        try
        {
            DoctorTargets targets = new()
            {
                Hub = provider.GetService<IHubClient>(),
                Definitions = provider.GetRequiredService<IAgentDefinitionSource>(),
                ExecutorProbe = agent => selector.For(agent).Unavailable,
                BrainProbe = brains.CheckAvailability,
                LlmKey = agent => ProviderAccess.For(agent, settings.Environment, permissions) is { KeyVariable: { } variable } access
                    ? new LlmKey { Provider = access.ProviderName, KeyVariable = variable, Key = access.Key, BaseUrl = access.BaseUrl }
                    : null,
                LlmKeys = offline ? null : new LlmKeyVerifier(http, TimeProvider.System),
                Coordinator = context.ParseResult.GetValue(_coordinator),
                Http = http,
            };
            if (settings.RedisUrl is { } url)
            {
                try
                {
                    connection = await RedisConnection.ConnectAsync(url, retryFor: TimeSpan.FromSeconds(3));
                    var queue = new RedisWorkQueue(connection, WorkQueueOptions.FromSettings(settings));
                    var redis = connection;
                    targets = targets with
                    {
                        Queue = queue,
                        Election = queue,
                        PingWorkStore = async ct =>
                        {
                            var started = Stopwatch.GetTimestamp();
                            await redis.ExecuteAsync("ping", db => db.PingAsync(), ct);
                            return Stopwatch.GetElapsedTime(started);
                        },
                    };
                }
                catch (ArgumentException ex)
                {
                    targets = targets with { WorkStoreError = ex.Message };
                }
            }

            var report = await new FleetDoctor(settings).RunAsync(targets, cancellationToken);
            if (context.ParseResult.GetValue(_json))
            {
                await context.Out.WriteLineAsync(JsonSerializer.Serialize(report, Json).AsMemory(), cancellationToken);
            }
            else
            {
                await WriteTableAsync(context.Out, report, cancellationToken);
            }

            return report.Failed ? ExitCodes.Failure : ExitCodes.Ok;
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
        }
    }

    private static async Task WriteTableAsync(TextWriter output, DoctorReport report, CancellationToken cancellationToken)
    {
        var rows = report.Findings.Select(f => new[] { StatusText(f.Status), f.Check, f.Subject ?? "-", f.Seen }).ToList();
        var widths = Enumerable.Range(0, 3).Select(i => Math.Max(Header[i].Length, rows.Max(r => r[i].Length))).ToArray();
        string Line(string[] cells) => string.Join("  ", cells.Select((c, i) => i < 3 ? c.PadRight(widths[i]) : c)).TrimEnd();
        await output.WriteLineAsync(Line(Header).AsMemory(), cancellationToken);
        foreach (var (finding, row) in report.Findings.Zip(rows))
        {
            await output.WriteLineAsync(Line(row).AsMemory(), cancellationToken);
            if (finding.Status != DoctorStatus.Ok && finding.Remedy.Length > 0)
            {
                await output.WriteLineAsync($"{new string(' ', widths[0] + 2)}-> {finding.Remedy}".AsMemory(), cancellationToken);
            }
        }

        var counts = report.Counts;
        await output.WriteLineAsync($"{counts["ok"]} ok, {counts["info"]} info, {counts["warn"]} warn, {counts["fail"]} fail".AsMemory(), cancellationToken);
    }

    private static string StatusText(DoctorStatus status) => status switch
    {
        DoctorStatus.Ok => "ok",
        DoctorStatus.Info => "info",
        DoctorStatus.Warn => "warn",
        _ => "FAIL",
    };
}
