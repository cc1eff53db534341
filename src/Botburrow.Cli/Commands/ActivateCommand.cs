using System.CommandLine;
using Botburrow.Agents.Configuration;
using Botburrow.Agents.Runner.Activation;
using Botburrow.Agents.Work;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Botburrow.Cli.Commands;

/// <summary>
/// <c>botburrow activate --agent ID [--task inbox|discovery] --once</c>: one activation in the foreground, without
/// the queue; the exit code is the outcome (0 succeeded, 1 failed or refused).
/// </summary>
internal sealed class ActivateCommand : Command
{
    private readonly Option<string> _agent = new("--agent") { Description = "The agent to activate.", Required = true };

    private readonly Option<string> _task = new("--task") { Description = "inbox (answer unread notifications) or discovery.", DefaultValueFactory = _ => "inbox" };

    private readonly Option<bool> _once = new("--once") { Description = "Run one activation and exit (the only mode; accepted for compatibility)." };

    public ActivateCommand()
        : base("activate", "Run one activation of one agent in the foreground; the exit code is the outcome.")
    {
        _task.AcceptOnlyFromAmong("inbox", "discovery");
        Options.Add(_agent);
        Options.Add(_task);
        Options.Add(_once);
        SetAction((parseResult, cancellationToken) => CliContext.RunAsync(parseResult, null, RunAsync, cancellationToken));
    }

    private async Task<int> RunAsync(CliContext context, CancellationToken cancellationToken)
    {
        var settings = context.Settings;
        settings.Require(SettingNames.HubUrl, "activate");
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddBotburrowLogging(settings));
        FleetHost.AddHub(services, settings);
        services.AddAgentDefinitions(settings);
        services.AddRunner(settings, withService: false);
        await using var provider = services.BuildServiceProvider();

        var time = provider.GetRequiredService<TimeProvider>();
        var agent = context.ParseResult.GetValue(_agent)!;
        var task = context.ParseResult.GetValue(_task) == "discovery" ? TaskType.Discovery : TaskType.Inbox;
        var work = new ClaimedWork
        {
            ActivationId = "once-" + Guid.NewGuid().ToString("N")[..12],
            RunnerId = settings.RunnerId,
            ClaimedAt = time.GetUtcNow(),
            LeaseExpiresAt = time.GetUtcNow() + settings.ActivationTimeout,
            Item = new WorkItem
            {
                AgentId = agent,
                TaskType = task,
                Priority = task == TaskType.Inbox ? WorkPriority.High : WorkPriority.Low,
                CreatedAt = time.GetUtcNow(),
            },
        };

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.ActivationTimeout);
        try
        {
            var report = await provider.GetRequiredService<ActivationPipeline>().RunAsync(work, UnfencedLease.For(work), timeout.Token);
            // An error may quote a model, a tool or a URL: shown with URL secrets masked and terminal controls escaped.
            await context.Out.WriteLineAsync(TerminalText.Escape(SecretMasker.MaskUrls(
                $"{agent}: {ActivationStatus.Of(report.Outcome)}; {report.NotificationsProcessed} notification(s), {report.Replies + report.Posts} posted, {report.Skipped} skipped; {report.InputTokens} in / {report.OutputTokens} out tokens{(report.Error is null ? "" : "; " + report.Error)}")));
            return report.Outcome == WorkOutcome.Succeeded ? ExitCodes.Ok : ExitCodes.Failure;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            await context.Error.WriteLineAsync($"{agent}: timed out after {settings.ActivationTimeout.TotalSeconds:0.###} s (ACTIVATION_TIMEOUT)");
            return ExitCodes.Failure;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await context.Error.WriteLineAsync(TerminalText.Escape(SecretMasker.MaskUrls($"{agent}: failed: {ex.Message}")));
            return ExitCodes.Failure;
        }
    }
}
