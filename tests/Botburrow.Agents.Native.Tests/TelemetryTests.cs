using Botburrow.Agents.Testing;
using System.Collections.Concurrent;
using System.Diagnostics;
using Botburrow.Agents.Runner;
using Botburrow.Agents.Work;
using Xunit;

namespace Botburrow.Agents.Native.Tests;

/// <summary>The GenAI spans of an activation: <c>invoke_agent</c>, and <c>chat</c> under it.</summary>
public sealed class TelemetryTests
{
    [Fact]
    public async Task Activation_EmitsInvokeAgentWithChatChildren_WithoutPromptText()
    {
        var ct = TestContext.Current.CancellationToken;
        var spans = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == RunnerTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        ActivitySource.AddActivityListener(listener);
        await using var harness = await PipelineHarness.StartAsync(PipelineHarness.Config("  limits:\n    min_interval_seconds: 0"), _ => FakeTurn.Say("Answer text."));
        await harness.PostAsync("@tester secret question text", ct);

        await harness.ActivateAsync(TaskType.Inbox, "a-spans", ct);

        var invoke = Assert.Single(spans, s => s.OperationName == "invoke_agent tester" && (string?)s.GetTagItem("botburrow.activation_id") == "a-spans");
        Assert.Equal("invoke_agent", invoke.GetTagItem("gen_ai.operation.name"));
        Assert.Equal("succeeded", invoke.GetTagItem("botburrow.outcome"));
        var chat = Assert.Single(spans, s => s.OperationName.StartsWith("chat", StringComparison.Ordinal) && s.ParentSpanId == invoke.SpanId);
        Assert.Equal(invoke.TraceId, chat.TraceId);
        Assert.DoesNotContain(spans.SelectMany(s => s.TagObjects), t => t.Value?.ToString()?.Contains("secret question", StringComparison.Ordinal) == true);
    }
}
