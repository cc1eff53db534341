using System.Globalization;
using Botburrow.Agents.Redis;
using Botburrow.Agents.Work;

// A stand-in runner or coordinator for crash tests: the test kills it with SIGKILL or stops it with SIGSTOP.
//   claim URL PREFIX RUNNER LEASE_MS            claims one item, prints "CLAIMED <id> <attempt>", heartbeats until killed
//   lead URL PREFIX INSTANCE TTL_MS POLL_MS     leader loop; prints LEADER <epoch> / FOLLOWER; stdin: "enqueue AGENT", "release"
if (args.Length < 4)
{
    await Console.Error.WriteLineAsync("usage: claim URL PREFIX RUNNER LEASE_MS | lead URL PREFIX INSTANCE TTL_MS POLL_MS");
    return 2;
}

var verb = args[0];
// Named as the real processes name their connections, so fast failure detection sees it come and go.
await using var connection = await RedisConnection.ConnectAsync(args[1], clientName: RedisConnection.NameFor(verb == "claim" ? "runner" : "coordinator", args[3]));
var lease = TimeSpan.FromMilliseconds(int.Parse(args[4], CultureInfo.InvariantCulture));
var queue = new RedisWorkQueue(connection, new WorkQueueOptions { KeyPrefix = args[2], LeaseDuration = lease, HeartbeatTtl = lease });

if (verb == "claim")
{
    var runner = args[3];
    ClaimedWork? claimed = null;
    while (claimed is null)
    {
        claimed = await queue.TryClaimAsync(runner, RunnerMode.Hybrid);
        if (claimed is null)
        {
            await queue.WaitForWorkAsync(RunnerMode.Hybrid, TimeSpan.FromMilliseconds(200));
        }
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"CLAIMED {claimed.ActivationId} {claimed.Item.Attempt}"));
    var beat = new RunnerHeartbeat { RunnerId = runner, Mode = RunnerMode.Hybrid, InFlight = 1 };
    while (true)
    {
        await queue.HeartbeatAsync(beat, [claimed.ActivationId]);
        await Task.Delay(TimeSpan.FromTicks(Math.Min(lease.Ticks / 3, TimeSpan.FromSeconds(1).Ticks)));
    }
}

if (verb == "lead")
{
    var instance = args[3];
    var poll = TimeSpan.FromMilliseconds(int.Parse(args[5], CultureInfo.InvariantCulture));
    LeaderLease? current = null;
    long lastEpoch = 0;
    var leading = false;
    using var stop = new CancellationTokenSource();
    var commands = Task.Run(async () =>
    {
        while (await Console.In.ReadLineAsync() is { } line)
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts is ["enqueue", var agent])
            {
                // A stale leader acts on what it last believed: the epoch it last held.
                var item = new WorkItem { AgentId = agent, TaskType = TaskType.Inbox, Priority = WorkPriority.High };
                var outcome = await queue.EnqueueAsync(item, Interlocked.Read(ref lastEpoch));
                Console.WriteLine("ENQUEUE " + outcome);
            }
            else if (parts is ["release"] && current is not null)
            {
                await stop.CancelAsync();
                var released = await queue.ReleaseAsync(current);
                Console.WriteLine("RELEASED " + released);
                return;
            }
        }
    });

    while (!stop.IsCancellationRequested)
    {
        var lease2 = await queue.TryAcquireOrRenewAsync(instance, lease);
        if (stop.IsCancellationRequested)
        {
            break;
        }

        if (lease2 is not null)
        {
            current = lease2;
            Interlocked.Exchange(ref lastEpoch, lease2.Epoch);
            if (!leading || lease2.Acquired)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"LEADER {lease2.Epoch}"));
            }

            leading = true;
        }
        else if (leading || current is null)
        {
            Console.WriteLine("FOLLOWER");
            leading = false;
            current ??= new LeaderLease { InstanceId = instance, Epoch = 0 };
        }

        try
        {
            await Task.Delay(poll, stop.Token);
        }
        catch (OperationCanceledException)
        {
        }
    }

    await commands;
    return 0;
}

await Console.Error.WriteLineAsync("unknown verb " + verb);
return 2;
