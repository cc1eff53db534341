using System.Diagnostics;
using Botburrow.Agents.ServiceDefaults.Telemetry;
using Botburrow.Agents.Work;

namespace Botburrow.Agents.Runner;

/// <summary>
/// The runner's spans. One <c>invoke_agent {agent}</c> span per activation on <see cref="BotburrowActivitySources.Runner"/>
/// (started by whoever runs the activation: the runner service, or <c>botburrow activate</c>), a child of the
/// coordinator's enqueue span through the work item's <c>traceparent</c>; the pipeline adds the agent's GenAI
/// attributes and usage to it. Under it, on <see cref="SourceName"/>, Microsoft.Extensions.AI's GenAI
/// <c>chat</c> and <c>execute_tool</c> spans. Prompts and outputs are never put on spans.
/// </summary>
public static class RunnerTelemetry
{
    /// <summary>The source of the model loop's <c>chat</c> and <c>execute_tool</c> spans.</summary>
    public const string SourceName = "Botburrow.Agents.Runner";

    private const string InvokeAgent = "invoke_agent";

    public static ActivitySource Source { get; } = new(SourceName);

    /// <summary>Starts the activation's <c>invoke_agent {agent}</c> span (or nothing, when no one listens).</summary>
    public static Activity? StartInvokeAgent(ClaimedWork work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var item = work.Item;
        _ = ActivityContext.TryParse(item.TraceParent, null, out var parent);
        var span = BotburrowActivitySources.Runner.StartActivity(ActivityKind.Consumer, parent, name: InvokeAgent + " " + item.AgentId);
        span?.SetTag("gen_ai.operation.name", InvokeAgent);
        span?.SetTag("gen_ai.agent.id", item.AgentId);
        span?.SetTag("gen_ai.agent.name", item.AgentId);
        span?.SetTag("botburrow.activation_id", work.ActivationId);
        span?.SetTag("botburrow.task_type", item.TaskType.ToString().ToLowerInvariant());
        span?.SetTag("botburrow.attempt", item.Attempt);
        return span;
    }

    /// <summary>The <c>invoke_agent</c> span of the activation running on this flow, or <see langword="null"/>.</summary>
    public static Activity? CurrentInvokeAgent()
    {
        for (var span = Activity.Current; span is not null; span = span.Parent)
        {
            if (span.Source == BotburrowActivitySources.Runner && InvokeAgent.Equals(span.GetTagItem("gen_ai.operation.name") as string, StringComparison.Ordinal))
            {
                return span;
            }
        }

        return null;
    }
}
