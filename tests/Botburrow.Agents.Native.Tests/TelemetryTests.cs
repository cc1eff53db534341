using Botburrow.Agents.Testing;
using System.Collections.Concurrent;
using System.Diagnostics;
using Botburrow.Agents.Runner;
using Botburrow.Agents.ServiceDefaults.Telemetry;
using Botburrow.Agents.Work;
using Xunit;

namespace Botburrow.Agents.Native.Tests;

/// <summary>The GenAI spans of an activation: one <c>invoke_agent</c> (the runner's), and <c>chat</c> under it.</summary>
public sealed class TelemetryTests
{
    [Fact]
    public async Task An_activation_is_one_invoke_agent_span_the_runners_with_chat_children_and_no_prompt_text()
    {
        var ct = TestContext.Current.CancellationToken;
        var spans = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            // By name: the runner's source may be created while this listener is asked about it.
            ShouldListenTo = source => source.Name is RunnerTelemetry.SourceName or "Botburrow.Runner",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        ActivitySource.AddActivityListener(listener);
        await using var harness = await PipelineHarness.StartAsync(PipelineHarness.Config("  limits:\n    min_interval_seconds: 0"), _ => FakeTurn.Say("Answer text.", input: 12, output: 7), withRunner: true);
        await harness.PostAsync("@tester secret question text", ct);

        await harness.StartRunnerAsync(ct);
        await harness.EnqueueAsync(TaskType.Inbox, ct);
        var completed = await harness.Logs.WaitForAsync(e => e.Event == "activation_completed");
        var invoke = await WaitForAsync(spans, s => s.OperationName == "invoke_agent tester");

        var activationId = (string)invoke.GetTagItem("botburrow.activation_id")!;
        Assert.Single(spans, s => "invoke_agent".Equals(s.GetTagItem("gen_ai.operation.name") as string, StringComparison.Ordinal)
            && activationId.Equals(s.GetTagItem("botburrow.activation_id") as string, StringComparison.Ordinal));
        var trace = spans.Where(s => s.TraceId == invoke.TraceId).ToList();
        Assert.Same(BotburrowActivitySources.Runner, invoke.Source);
        Assert.Contains(activationId, completed.Message, StringComparison.Ordinal);
        Assert.Equal("succeeded", invoke.GetTagItem("botburrow.outcome"));
        Assert.Equal("claude-sonnet-4-5", invoke.GetTagItem("gen_ai.request.model")); // the pipeline's tags, on the runner's span
        Assert.Equal(12L, invoke.GetTagItem("gen_ai.usage.input_tokens"));
        var chat = Assert.Single(trace, s => s.OperationName.StartsWith("chat", StringComparison.Ordinal));
        Assert.Equal(invoke.SpanId, chat.ParentSpanId);
        Assert.DoesNotContain(trace.SelectMany(s => s.TagObjects), t => t.Value?.ToString()?.Contains("secret question", StringComparison.Ordinal) == true);
    }

    /// <summary>The span is stopped just after the runner logs the activation's end.</summary>
    private static async Task<Activity> WaitForAsync(ConcurrentBag<Activity> spans, Func<Activity, bool> match)
    {
        using var timeout = new CancellationTokenSource(TestConstants.DefaultTimeout);
        while (true)
        {
            if (spans.FirstOrDefault(match) is { } span)
            {
                return span;
            }

            await Task.Delay(20, timeout.Token);
        }
    }
}
