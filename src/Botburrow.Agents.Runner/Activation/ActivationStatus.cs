using System.Text.Json;
using Botburrow.Agents.Work;

namespace Botburrow.Agents.Runner.Activation;

/// <summary>The one spelling of an activation's outcome in logs, spans, metrics, transcripts and reports.</summary>
public static class ActivationStatus
{
    /// <summary>A runner's activation handed back to the queue at shutdown (it has no outcome of its own).</summary>
    public const string HandedBack = "handed_back";

    /// <summary><paramref name="outcome"/> in snake case: <c>succeeded</c>, <c>failed</c>, <c>cancelled</c>, <c>refused_by_budget</c>.</summary>
    public static string Of(WorkOutcome outcome) => JsonNamingPolicy.SnakeCaseLower.ConvertName(outcome.ToString());
}
