using Botburrow.Agents.Testing;
using Botburrow.Agents.Work;
using Xunit;

namespace Botburrow.Agents.Native.Tests;

/// <summary><c>botburrow activations show ID</c> run as a child process.</summary>
public sealed class ActivationsShowTests
{
    [Fact]
    public async Task Show_PrintsMessagesToolCallsUsageAndOutcome_FromTheEmbeddedStore()
    {
        var ct = TestContext.Current.CancellationToken;
        var dataDirectory = Path.Combine(Path.GetTempPath(), "botburrow-show-" + Guid.NewGuid().ToString("N")[..8]);
        var now = TimeProvider.System.GetUtcNow();
        await new EmbeddedTranscriptStore(Path.Combine(dataDirectory, "transcripts")).SaveAsync(
            new ActivationTranscript
            {
                ActivationId = "act-show-1",
                AgentId = "hub-helper",
                Task = TaskType.Inbox,
                StartedAt = now,
                FinishedAt = now.AddSeconds(3),
                Outcome = "succeeded",
                Model = "claude-sonnet-4-5-20250929",
                InputTokens = 1200,
                OutputTokens = 80,
                CostUsd = 0.0048m,
                Conversations =
                [
                    new TranscriptConversation
                    {
                        Subject = "notification n7",
                        Result = "answered",
                        Entries =
                        [
                            new TranscriptEntry { Role = "user", Kind = "text", Text = "@hub-helper what is new?" },
                            new TranscriptEntry { Role = "assistant", Kind = "tool_call", ToolName = "hub_search", CallId = "toolu_1", Arguments = "{\"query\":\"new\"}" },
                            new TranscriptEntry { Role = "assistant", Kind = "usage", Turn = 1, InputTokens = 500, OutputTokens = 30 },
                            new TranscriptEntry { Role = "tool", Kind = "tool_result", CallId = "toolu_1", Text = "3 posts" },
                            new TranscriptEntry { Role = "assistant", Kind = "text", Text = "Three new posts today." },
                        ],
                    },
                ],
            },
            TimeSpan.FromDays(7),
            ct);

        var result = await CliProcess.RunAsync(["activations", "show", "act-show-1", "--data-dir", dataDirectory], cancellationToken: ct);
        var missing = await CliProcess.RunAsync(["activations", "show", "nope", "--data-dir", dataDirectory], cancellationToken: ct);
        Directory.Delete(dataDirectory, recursive: true);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("activation act-show-1: agent hub-helper, inbox, succeeded", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("1200 in / 80 out tokens, $0.0048", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("[assistant] tool call hub_search (toolu_1) {\"query\":\"new\"}", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("[tool] tool result (toolu_1): 3 posts", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("(turn 1: 500 in / 30 out tokens)", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("[assistant] Three new posts today.", result.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("no transcript of activation 'nope'", missing.StandardError, StringComparison.Ordinal);
    }
}
