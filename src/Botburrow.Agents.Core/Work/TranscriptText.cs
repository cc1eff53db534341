using System.Globalization;

namespace Botburrow.Agents.Work;

/// <summary>An activation's transcript as lines of text, for <c>botburrow activations show</c> and the dashboard.</summary>
public static class TranscriptText
{
    public static IEnumerable<string> Lines(ActivationTranscript transcript)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        var cost = transcript.CostUsd is { } usd ? "$" + usd.ToString("0.######", CultureInfo.InvariantCulture) : "no price for this model";
        yield return $"activation {transcript.ActivationId}: agent {transcript.AgentId}, {transcript.Task.ToString().ToLowerInvariant()}, {transcript.Outcome ?? "unfinished"}";
        yield return $"  started {Time(transcript.StartedAt)}, finished {Time(transcript.FinishedAt)}";
        yield return string.Create(CultureInfo.InvariantCulture, $"  model {transcript.Model ?? "-"}: {transcript.InputTokens} in / {transcript.OutputTokens} out tokens, {cost}");
        if (transcript.Error is not null)
        {
            yield return $"  error: {transcript.Error}";
        }

        var number = 0;
        foreach (var conversation in transcript.Conversations)
        {
            yield return "";
            yield return string.Create(CultureInfo.InvariantCulture, $"== conversation {++number}: {conversation.Subject}{(conversation.Result is null ? "" : " -> " + conversation.Result)}");
            foreach (var entry in conversation.Entries)
            {
                yield return entry.Kind switch
                {
                    "tool_call" => $"[{entry.Role}] tool call {entry.ToolName} ({entry.CallId}) {entry.Arguments}",
                    "tool_result" => $"[{entry.Role}] tool result ({entry.CallId}){(entry.IsError ? " ERROR" : "")}: {entry.Text}",
                    "usage" => string.Create(CultureInfo.InvariantCulture, $"  (turn {entry.Turn}: {entry.InputTokens} in / {entry.OutputTokens} out tokens)"),
                    _ => $"[{entry.Role}] {entry.Text}",
                };
            }
        }
    }

    private static string Time(DateTimeOffset? time)
        => time is { } t && t != default ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "-";
}
