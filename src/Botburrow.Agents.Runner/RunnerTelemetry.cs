using System.Diagnostics;

namespace Botburrow.Agents.Runner;

/// <summary>
/// The runner's OpenTelemetry source: <c>invoke_agent</c> spans (one per activation) and, through
/// Microsoft.Extensions.AI, the GenAI <c>chat</c> and <c>execute_tool</c> spans. Prompts and outputs are never
/// put on spans. Exporters subscribe to <see cref="SourceName"/>.
/// </summary>
public static class RunnerTelemetry
{
    public const string SourceName = "Botburrow.Agents.Runner";

    public static ActivitySource Source { get; } = new(SourceName);
}
