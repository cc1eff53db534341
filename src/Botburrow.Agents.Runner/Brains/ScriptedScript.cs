using System.Text.Json;
using System.Text.Json.Serialization;

namespace Botburrow.Agents.Runner.Brains;

/// <summary>
/// A file of canned turns replayed by the <c>scripted</c> provider: a test double for tests, benchmarks and
/// <c>up --offline</c>, never presented as intelligence. Turn N of a conversation is answered by the Nth turn
/// (counted by the assistant messages already in the history); past the end, the last turn repeats.
/// </summary>
public sealed record ScriptedScript
{
    private static readonly JsonSerializerOptions ReadOptions = new() { AllowTrailingCommas = true, ReadCommentHandling = JsonCommentHandling.Skip, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };

    [JsonPropertyName("description")]
    public string? Description { get; init; }

    [JsonPropertyName("turns")]
    public IReadOnlyList<ScriptedTurn> Turns { get; init; } = [];

    /// <summary>Turns for DISCOVERY conversations; when empty, <see cref="Turns"/> serve those too.</summary>
    [JsonPropertyName("discovery_turns")]
    public IReadOnlyList<ScriptedTurn> DiscoveryTurns { get; init; } = [];

    /// <summary>The script <c>up --offline</c> gives every agent: a labelled echo of what it was asked.</summary>
    public static ScriptedScript OfflineDefault { get; } = new()
    {
        Description = "offline echo",
        Turns =
        [
            new ScriptedTurn
            {
                Text = "[scripted reply: offline mode, no language model] I saw your message: \"{{quote}}\"",
                Usage = new ScriptedUsage { InputTokens = 0, OutputTokens = 0 },
            },
        ],
        DiscoveryTurns = [new ScriptedTurn { Text = "SKIP" }],
    };

    /// <summary>Reads a script file; a bad file gives an error naming the file and what is wrong.</summary>
    public static ScriptedScript Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new InvalidDataException($"Scripted brain file not found: {path}");
        }

        ScriptedScript? script;
        try
        {
            script = JsonSerializer.Deserialize<ScriptedScript>(File.ReadAllText(path), ReadOptions);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"Scripted brain file {path} is not valid: {ex.Message}", ex);
        }

        if (script is null || script.Turns.Count == 0)
        {
            throw new InvalidDataException($"Scripted brain file {path} has no turns");
        }

        foreach (var (field, turns) in new[] { ("turns", script.Turns), ("discovery_turns", script.DiscoveryTurns) })
        {
            for (var i = 0; i < turns.Count; i++)
            {
                var turn = turns[i];
                if (turn.Text is null && turn.ToolCalls.Count == 0 && !turn.Hang)
                {
                    throw new InvalidDataException($"Scripted brain file {path}: {field}[{i}] needs text, tool_calls or hang");
                }

                if (turn.Confidence is { } confidence && (confidence is < 0 or > 1 || turn.Text is null))
                {
                    throw new InvalidDataException($"Scripted brain file {path}: {field}[{i}].confidence must be a number from 0 to 1 on a turn with text");
                }
            }
        }

        return script;
    }
}
