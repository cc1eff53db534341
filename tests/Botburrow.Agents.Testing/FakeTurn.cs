namespace Botburrow.Agents.Testing;

/// <summary>What the fake model server answers to one request.</summary>
public sealed record FakeTurn
{
    public string? Text { get; init; }

    /// <summary>Tool calls: id, tool name, arguments as JSON.</summary>
    public IReadOnlyList<(string Id, string Name, string Arguments)> ToolCalls { get; init; } = [];

    /// <summary>The model the response names; the server's default when <see langword="null"/>.</summary>
    public string? Model { get; init; }

    public int InputTokens { get; init; }

    public int OutputTokens { get; init; }

    /// <summary>An HTTP error status instead of an answer.</summary>
    public int Status { get; init; } = 200;

    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    public static FakeTurn Say(string text, int input = 10, int output = 5) => new() { Text = text, InputTokens = input, OutputTokens = output };

    public static FakeTurn Call(string id, string name, string arguments, int input = 10, int output = 5) => new() { ToolCalls = [(id, name, arguments)], InputTokens = input, OutputTokens = output };
}
