using System.Globalization;
using Botburrow.Agents.Configuration;
using Botburrow.Agents.Work;

namespace Botburrow.Agents.Doctor;

/// <summary>
/// <c>botburrow doctor</c>: every diagnosis of the troubleshooting guide that can be automated, as one check each.
/// Each finding says ok / info / warn / fail, what was seen and the remedy (the guide's commands where they apply).
/// The checks are grouped by what they look at: settings and isolation, the work store, the coordinator, the Hub,
/// the definitions, and each agent (one file each).
/// </summary>
public sealed partial class FleetDoctor
{
    private const string Namespace = "botburrow-agents";
    private readonly BotburrowSettings _settings;
    private readonly TimeProvider _time;

    public FleetDoctor(BotburrowSettings settings, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>A queue whose oldest item waited longer than this is reported (warn).</summary>
    public TimeSpan StaleQueueAge { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>A Redis round trip slower than this is reported (warn).</summary>
    public TimeSpan SlowRedis { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How long the long-poll probe waits.</summary>
    public TimeSpan LongPollProbe { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>This many activations of one agent that did not succeed within <see cref="LoopingWindow"/> are reported as looping.</summary>
    public int LoopingActivations { get; init; } = 5;

    /// <summary>The window <see cref="LoopingActivations"/> counts in.</summary>
    public TimeSpan LoopingWindow { get; init; } = TimeSpan.FromMinutes(10);

    public async Task<DoctorReport> RunAsync(DoctorTargets targets, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var findings = new List<DoctorFinding>();
        findings.AddRange(CheckSettings());
        findings.AddRange(CheckIsolation());
        findings.AddRange(await CheckWorkStoreAsync(targets, cancellationToken));
        findings.AddRange(await CheckCoordinatorAsync(targets, cancellationToken));
        findings.AddRange(await CheckHubAsync(targets.Hub, cancellationToken));
        var agents = await CheckDefinitionsAsync(targets, findings, cancellationToken);
        foreach (var agent in agents)
        {
            findings.AddRange(await CheckAgentAsync(agent, targets, cancellationToken));
        }

        // Findings quote URLs and error messages (HUB_URL, a repository, a base URL): none may show a secret.
        return new DoctorReport
        {
            Findings = [.. findings.Select(f => f with
            {
                Seen = SecretMasker.MaskUrls(f.Seen),
                Remedy = SecretMasker.MaskUrls(f.Remedy),
                Subject = f.Subject is null ? null : SecretMasker.MaskUrls(f.Subject),
            })],
        };
    }

    private string? Env(string name) => _settings.Environment.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value) ? value : null;

    private static string PriorityName(WorkPriority priority) => priority.ToString().ToLowerInvariant();

    private static string Minutes(TimeSpan span) => span.TotalMinutes.ToString("0.#", CultureInfo.InvariantCulture) + " min";

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s";
}
