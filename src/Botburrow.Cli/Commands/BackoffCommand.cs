using System.CommandLine;
using System.Globalization;

namespace Botburrow.Cli.Commands;

/// <summary><c>botburrow backoff list|clear [AGENT]</c>: the circuit breaker's state (<c>work:failures</c>, <c>work:backoff</c>).</summary>
internal sealed class BackoffCommand : Command
{
    public BackoffCommand()
        : base("backoff", "Inspect or clear circuit-breaker backoff (REDIS_URL required).")
    {
        var list = new Command("list", "List agents with failures or in backoff.");
        list.SetAction((parseResult, cancellationToken) => CliContext.RunAsync(parseResult, null, ListAsync, cancellationToken));
        var agent = new Argument<string?>("AGENT") { Description = "The agent to clear; all agents when omitted.", Arity = ArgumentArity.ZeroOrOne };
        var clear = new Command("clear", "Reset failures and backoff of one agent, or of all.") { agent };
        clear.SetAction((parseResult, cancellationToken) => CliContext.RunAsync(
            parseResult,
            null,
            (context, ct) => ClearAsync(context, parseResult.GetValue(agent), ct),
            cancellationToken));
        Subcommands.Add(list);
        Subcommands.Add(clear);
    }

    private static Task<int> ListAsync(CliContext context, CancellationToken cancellationToken)
        => WorkQueueCli.RunAsync(context, "backoff list", async (queue, ct) =>
        {
            var entries = await queue.ListBackoffAsync(ct);
            if (entries.Count == 0)
            {
                await context.Out.WriteLineAsync("no agent has failures or backoff");
                return ExitCodes.Ok;
            }

            await WorkQueueCli.WriteTableAsync(
                context.Out,
                ["AGENT", "FAILURES", "BACKOFF UNTIL"],
                entries.Select(e => new[] { e.AgentId, e.Failures.ToString(CultureInfo.InvariantCulture), WorkQueueCli.Time(e.Until) }),
                ct);
            return ExitCodes.Ok;
        }, cancellationToken);

    private static Task<int> ClearAsync(CliContext context, string? agent, CancellationToken cancellationToken)
        => WorkQueueCli.RunAsync(context, "backoff clear", async (queue, ct) =>
        {
            var cleared = await queue.ClearBackoffAsync(string.IsNullOrWhiteSpace(agent) ? null : agent, ct);
            if (agent is not null && cleared == 0)
            {
                await context.Out.WriteLineAsync($"agent '{agent}' had no failures or backoff");
                return ExitCodes.Ok;
            }

            await context.Out.WriteLineAsync(agent is null
                ? string.Create(CultureInfo.InvariantCulture, $"cleared failures and backoff of {cleared} agent(s)")
                : $"cleared failures and backoff of '{agent}'");
            return ExitCodes.Ok;
        }, cancellationToken);
}
