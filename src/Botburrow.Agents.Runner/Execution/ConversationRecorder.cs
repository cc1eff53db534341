using System.Text.Json;
using Botburrow.Agents.Work;
using Microsoft.Extensions.AI;

namespace Botburrow.Agents.Runner.Execution;

/// <summary>
/// Keeps one conversation for the transcript: the latest history sent to the model, the latest response, and the
/// usage of every turn. The history only grows, so the latest request plus the latest response is the whole
/// conversation, even when it ends with an exception.
/// </summary>
public sealed class ConversationRecorder
{
    /// <summary>Longest text kept per entry.</summary>
    public const int MaxEntryCharacters = 16_000;

    private readonly Lock _lock = new();
    private readonly List<(int Turn, long Input, long Output)> _turns = [];
    private List<ChatMessage> _request = [];
    private List<ChatMessage> _response = [];

    public ConversationRecorder(string subject)
    {
        Subject = subject;
    }

    public string Subject { get; }

    /// <summary>What came of it (<c>replied</c>, <c>skipped</c>, <c>failed: …</c>); set by the pipeline.</summary>
    public string? Result { get; set; }

    public void RecordRequest(IEnumerable<ChatMessage> messages)
    {
        lock (_lock)
        {
            _request = [.. messages];
            _response = [];
        }
    }

    public void RecordResponse(int turn, ChatResponse response, long inputTokens, long outputTokens)
    {
        ArgumentNullException.ThrowIfNull(response);
        lock (_lock)
        {
            _response = [.. response.Messages];
            _turns.Add((turn, inputTokens, outputTokens));
        }
    }

    public TranscriptConversation ToTranscript()
    {
        lock (_lock)
        {
            var entries = new List<TranscriptEntry>();
            var assistantTurn = 0;
            foreach (var message in _request.Concat(_response))
            {
                var role = message.Role.Value;
                foreach (var content in message.Contents)
                {
                    switch (content)
                    {
                        case TextContent text when !string.IsNullOrEmpty(text.Text):
                            entries.Add(new TranscriptEntry { Role = role, Kind = "text", Text = Cut(text.Text) });
                            break;
                        case FunctionCallContent call:
                            entries.Add(new TranscriptEntry { Role = role, Kind = "tool_call", ToolName = call.Name, CallId = call.CallId, Arguments = Cut(JsonSerializer.Serialize(call.Arguments ?? new Dictionary<string, object?>(), AIJsonUtilities.DefaultOptions)) });
                            break;
                        case FunctionResultContent result:
                            entries.Add(new TranscriptEntry { Role = role, Kind = "tool_result", CallId = result.CallId, Text = Cut(ResultText(result.Result)), IsError = result.Exception is not null });
                            break;
                        default:
                            break;
                    }
                }

                if (message.Role == ChatRole.Assistant && assistantTurn < _turns.Count)
                {
                    var (turn, input, output) = _turns[assistantTurn++];
                    entries.Add(new TranscriptEntry { Role = "assistant", Kind = "usage", Turn = turn, InputTokens = input, OutputTokens = output });
                }
            }

            for (; assistantTurn < _turns.Count; assistantTurn++)
            {
                var (turn, input, output) = _turns[assistantTurn];
                entries.Add(new TranscriptEntry { Role = "assistant", Kind = "usage", Turn = turn, InputTokens = input, OutputTokens = output });
            }

            return new TranscriptConversation { Subject = Subject, Entries = entries, Result = Result };
        }
    }

    private static string ResultText(object? result) => result switch
    {
        null => "",
        string text => text,
        JsonElement element => element.ValueKind == JsonValueKind.String ? element.GetString() ?? "" : element.GetRawText(),
        _ => JsonSerializer.Serialize(result, AIJsonUtilities.DefaultOptions),
    };

    private static string Cut(string text) => text.Length <= MaxEntryCharacters ? text : string.Concat(text.AsSpan(0, MaxEntryCharacters), "… (cut)");
}
