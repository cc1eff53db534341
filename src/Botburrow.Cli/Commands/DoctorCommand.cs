using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Botburrow.Agents.Doctor;
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

    public DoctorCommand()
        : base("doctor", "Check the fleet: settings, Redis, leader, Hub, queues, runners, backoff, leases, dead letters, definitions and each agent's executor, credentials, MCP commands and LLM key. Exit 1 when a check fails.")
    {
        Options.Add(_json);
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

        RedisConnection? connection = null;
        try
        {
            DoctorTargets targets = new()
            {
                Hub = provider.GetService<IHubClient>(),
                Definitions = provider.GetRequiredService<IAgentDefinitionSource>(),
                ExecutorProbe = agent => selector.For(agent).Unavailable,
                BrainProbe = brains.CheckAvailability,
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
        await output.WriteLineAsync($"{counts["ok"]} ok, {counts["warn"]} warn, {counts["fail"]} fail".AsMemory(), cancellationToken);
    }

    private static string StatusText(DoctorStatus status) => status switch
    {
        DoctorStatus.Ok => "ok",
        DoctorStatus.Warn => "warn",
        _ => "FAIL",
    };
}
