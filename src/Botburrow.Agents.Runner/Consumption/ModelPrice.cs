using System.Text.Json.Serialization;

namespace Botburrow.Agents.Runner.Consumption;

/// <summary>US dollars per million tokens, input and output.</summary>
public sealed record ModelPrice
{
    [JsonPropertyName("input_per_million")]
    public required decimal InputPerMillion { get; init; }

    [JsonPropertyName("output_per_million")]
    public required decimal OutputPerMillion { get; init; }

    public decimal Cost(long inputTokens, long outputTokens)
        => Math.Round(((inputTokens * InputPerMillion) + (outputTokens * OutputPerMillion)) / 1_000_000m, 6);
}
