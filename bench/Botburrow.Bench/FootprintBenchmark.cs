using System.Diagnostics;
using System.Globalization;
using System.Text;
using Botburrow.Agents.Configuration;

namespace Botburrow.Bench;

/// <summary>
/// Scenario "footprint": a real <c>botburrow runner</c> child process's resident memory (VmRSS) idle and while
/// running 16 scripted activations at once; and a real <c>botburrow coordinator</c> child process's CPU time
/// (utime + stime) over a window, leading a fleet of 10,000 registered agents of which 1% have unread mentions.
/// Targets: runner idle ≤ 100 MB, coordinator CPU ≤ 10% of one core.
/// </summary>
internal static class FootprintBenchmark
{
    private const double RssTarget = 100;
    private const double CpuTarget = 10;

    public static async Task<int> RunAsync(BenchArgs args)
    {
        var smoke = args.Smoke;
        var fleetSize = args.Count ?? (smoke ? 200 : 10_000);
        var withNotifications = Math.Max(1, fleetSize / 100);
        var settle = TimeSpan.FromSeconds(smoke ? 2 : 10);
        var window = TimeSpan.FromSeconds(smoke ? 3 : 60);
        var delayMs = smoke ? 1500 : 5000;

        var (idle, busy, concurrent, spread) = await RunnerMemoryAsync(settle, delayMs);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"runner: idle {idle:F1} MiB, with 16 activations {busy:F1} MiB"));
        var (cpu, registerSeconds, coordinatorRss) = await CoordinatorCpuAsync(fleetSize, withNotifications, settle, window);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"coordinator: {cpu:F2}% of one core with {fleetSize} agents, {withNotifications} with notifications"));

        var idleMet = idle <= RssTarget;
        var cpuMet = cpu <= CpuTarget;
        var sb = new StringBuilder();
        sb.AppendLine("| measure | value | target | result |");
        sb.AppendLine("|---|---:|---:|:---:|");
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| runner VmRSS, idle | {idle:F1} MiB | ≤ {RssTarget:F0} MB | {(idleMet ? "met" : "missed")} |"));
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| runner VmRSS, peak with 16 concurrent scripted activations | {busy:F1} MiB | — | — |"));
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| coordinator CPU, {fleetSize:N0} agents, {withNotifications:N0} with unread mentions | {cpu:F2}% of one core | ≤ {CpuTarget:F0}% | {(cpuMet ? "met" : "missed")} |"));
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| coordinator VmRSS at the end of the window | {coordinatorRss:F1} MiB | — | — |"));
        var table = sb.ToString().TrimEnd();
        Console.WriteLine(table);
        Console.WriteLine(idleMet && cpuMet ? "targets met" : "TARGET MISSED");
        var notes = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"The 16 activations ran concurrently: {(concurrent ? "all 16 started before the first one completed" : "NOT all 16 started before the first completed")}, within {spread:F2} s of the first mention."),
            string.Create(CultureInfo.InvariantCulture, $"Registering the {fleetSize:N0} agents in the dev Hub from the definitions folder took {registerSeconds:F1} s (not part of the measured window)."),
        };
        if (!idleMet)
        {
            notes.Add("Runner idle missed: the resident set is the .NET runtime, ASP.NET Core (metrics and health endpoints), the Redis client and the JIT-compiled code of the whole service; see `DOTNET_GCHeapHardLimit`/`DOTNET_gcServer=0` and trimming for what would shrink it.");
        }

        if (!cpuMet)
        {
            notes.Add("Coordinator CPU missed: the leader's long-poll is level-triggered — the Hub answers at once while any agent has unread notifications, so with no runner draining them the leader re-lists those agents, checks their budget and notifications over HTTP and re-enqueues (deduplicated) after every 1 s idle pause.");
        }

        await Report.AppendAsync(
            args,
            "Runner memory: a real `botburrow runner` child process (`MAX_CONCURRENT_ACTIVATIONS=16`, scripted brain answering after a delay) on a fresh loopback `redis-server`, with the coordinator and the dev Hub in the benchmark process; VmRSS from `/proc/PID/status`, idle after it started and settled, then sampled every 100 ms while 16 mentions of 16 agents run at once. Coordinator CPU: a real `botburrow coordinator` child process leading a second fresh Redis, with the dev Hub (in the benchmark process) registering the whole generated definitions folder and the coordinator loading it; 1% of the agents get an unread mention and no runner drains them, so the leader keeps seeing them; utime + stime from `/proc/PID/stat` over the window, after a warm-up.",
            [
                string.Create(CultureInfo.InvariantCulture, $"runner: settle {settle.TotalSeconds:F0} s before the idle reading; scripted `delay_ms` {delayMs}"),
                string.Create(CultureInfo.InvariantCulture, $"coordinator: {fleetSize:N0} agents (discovery disabled), {withNotifications:N0} unread mentions, warm-up {settle.TotalSeconds:F0} s, window {window.TotalSeconds:F0} s, default settings"),
            ],
            table,
            idleMet && cpuMet ? "targets met (runner idle ≤ 100 MB, coordinator ≤ 10% of one core)." : "TARGET MISSED — see the notes below for the measured cause.",
            notes);
        return 0;
    }

    private static async Task<(double Idle, double Busy, bool Concurrent, double Spread)> RunnerMemoryAsync(TimeSpan settle, int delayMs)
    {
        using var agents = AgentFolder.Create(16);
        var script = agents.WriteScript(delayMs);
        await using var redis = await RedisServer.StartAsync();
        var env = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            [SettingNames.RedisUrl] = redis.Url,
            [SettingNames.RunnerId] = "bench-coordinator",
            [SettingNames.ScriptedBrain] = script,
        };
        await using var fleet = await InProcessFleet.StartAsync(agents, new EventProbe(), env, coordinator: true, runner: false);
        await using var runner = BotburrowProcess.Start("runner", ["runner", "--mode", "notification"], new Dictionary<string, string?>
        {
            [SettingNames.HubUrl] = fleet.Hub.Url.ToString(),
            [SettingNames.HubApiKey] = fleet.Hub.AdminKey,
            [SettingNames.RedisUrl] = redis.Url,
            [SettingNames.AgentDefinitionsPath] = agents.Root,
            [SettingNames.ScriptedBrain] = script,
            [SettingNames.MaxConcurrentActivations] = "16",
            [SettingNames.RunnerId] = "bench-runner",
        });
        await runner.WaitForEventAsync("runner_started", TimeSpan.FromSeconds(60));
        await Task.Delay(settle);
        var idle = runner.ResidentMiB();

        var started = agents.Names.Select(a => runner.WaitForEventAsync("activation_starting", TimeSpan.FromSeconds(120), l => BotburrowProcess.Field(l, "AgentId") == a)).ToList();
        var completed = agents.Names.Select(a => runner.WaitForEventAsync("activation_completed", TimeSpan.FromSeconds(180), l => BotburrowProcess.Field(l, "AgentId") == a)).ToList();
        var t0 = Stopwatch.GetTimestamp();
        foreach (var agent in agents.Names)
        {
            await InProcessFleet.MentionAsync(fleet.Poster, agent, "footprint-" + agent);
        }

        var peak = idle;
        var all = Task.WhenAll(completed);
        while (!all.IsCompleted)
        {
            peak = Math.Max(peak, runner.ResidentMiB());
            await Task.WhenAny(all, Task.Delay(100));
        }

        var startTimes = await Task.WhenAll(started);
        var completeTimes = await all;
        return (idle, peak, startTimes.Max() < completeTimes.Min(), (startTimes.Max() - t0) / (double)Stopwatch.Frequency);
    }

    private static async Task<(double Cpu, double RegisterSeconds, double Rss)> CoordinatorCpuAsync(int fleetSize, int withNotifications, TimeSpan warmup, TimeSpan window)
    {
        using var agents = AgentFolder.Create(fleetSize);
        await using var redis = await RedisServer.StartAsync();
        var registering = Stopwatch.GetTimestamp();
        await using var hub = await InProcessFleet.StartHubAsync(agents);
        var registerSeconds = Stopwatch.GetElapsedTime(registering).TotalSeconds;
        await using var clients = InProcessFleet.HubClients(hub.Url, hub.AdminKey);
        var poster = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Botburrow.Agents.Hub.IHubClient>(clients);
        await using var coordinator = BotburrowProcess.Start("coordinator", ["coordinator"], new Dictionary<string, string?>
        {
            [SettingNames.HubUrl] = hub.Url.ToString(),
            [SettingNames.HubApiKey] = hub.AdminKey,
            [SettingNames.RedisUrl] = redis.Url,
            [SettingNames.AgentDefinitionsPath] = agents.Root,
            [SettingNames.RunnerId] = "bench-coordinator",
        });
        await coordinator.WaitForEventAsync("became_leader", TimeSpan.FromSeconds(120));
        await coordinator.WaitForAsync((name, _) => name is "config_cache_prewarmed" or "config_cache_prewarm_failed", TimeSpan.FromSeconds(300));
        var step = fleetSize / withNotifications;
        for (var i = 0; i < withNotifications; i++)
        {
            var agent = agents.Names[i * step];
            await InProcessFleet.MentionAsync(poster, agent, "cpu-" + agent);
        }

        await Task.Delay(warmup);
        var cpu0 = coordinator.CpuSeconds();
        var t0 = Stopwatch.GetTimestamp();
        await Task.Delay(window);
        var cpu1 = coordinator.CpuSeconds();
        var wall = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        return ((cpu1 - cpu0) / wall * 100, registerSeconds, coordinator.ResidentMiB());
    }
}
