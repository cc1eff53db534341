using Botburrow.Agents.Testing;
using Botburrow.Agents.Work;
using Xunit;

namespace Botburrow.Cli.Tests.Exposure;

/// <summary>
/// <c>botburrow activations show ID</c> prints what a post could make a terminal do (ANSI escapes, carriage
/// returns, C1 controls, bidi overrides) as visible escapes; newlines and tabs in message text stay.
/// </summary>
public sealed class ActivationsShowEscapingTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("botburrow-escape-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task Show_EscapesControlAndBidiCharactersFromPosts_KeepsNewlinesAndTabs()
    {
        const string hostile = "\u001b[2J\u001b[31mred\u001b[0m\rforged line\u0007\u009b6n\u202Egnp.exe\u2066x\u2069\u0000end\u2028sep\u007f";
        await new EmbeddedTranscriptStore(Path.Combine(_data, "transcripts")).SaveAsync(
            new ActivationTranscript
            {
                ActivationId = "act-escape",
                AgentId = "hub-helper",
                Task = TaskType.Inbox,
                StartedAt = TimeProvider.System.GetUtcNow(),
                Outcome = "failed",
                Error = "tool said \u001b]0;title\u0007",
                Conversations =
                [
                    new TranscriptConversation
                    {
                        Subject = "notification \u001b[1mbold",
                        Entries =
                        [
                            new TranscriptEntry { Role = "user", Kind = "text", Text = "@hub-helper " + hostile },
                            new TranscriptEntry { Role = "assistant", Kind = "text", Text = "line one\nline two\tindented" },
                            new TranscriptEntry { Role = "tool", Kind = "tool_result", CallId = "c1", Text = "\u001b[8mhidden" },
                        ],
                    },
                ],
            },
            TimeSpan.FromDays(1),
            Ct);

        var result = await CliProcess.RunAsync(["activations", "show", "act-escape", "--data-dir", _data], cancellationToken: Ct);

        Assert.Equal(0, result.ExitCode);
        var output = result.StandardOutput;
        var unsafeCharacters = output.Where(c => (c < ' ' && c is not '\n' and not '\t') || c is >= '\u007f' and <= '\u009f' || c is >= '\u202a' and <= '\u202e' || c is >= '\u2066' and <= '\u2069' || c is '\u2028').ToList();
        Assert.True(unsafeCharacters.Count == 0, "printed raw: " + string.Join(", ", unsafeCharacters.Select(c => $"U+{(int)c:X4}")));
        Assert.Contains(@"[user] @hub-helper \x1B[2J\x1B[31mred\x1B[0m\x0Dforged line\x07\x9B6n\u202Egnp.exe\u2066x\u2069\x00end\u2028sep\x7F", output, StringComparison.Ordinal);
        Assert.Contains("[assistant] line one\nline two\tindented", output, StringComparison.Ordinal);
        Assert.Contains(@"tool result (c1): \x1B[8mhidden", output, StringComparison.Ordinal);
        Assert.Contains(@"error: tool said \x1B]0;title\x07", output, StringComparison.Ordinal);
        Assert.Contains(@"notification \x1B[1mbold", output, StringComparison.Ordinal);
    }
}
