using System.Text.Json;
using System.Text.Json.Serialization;

namespace Botburrow.Agents.Runner.Consumption;

/// <summary>
/// Prices of models by name. A dated model name (<c>claude-sonnet-4-20250514</c>) matches its longest listed
/// prefix (<c>claude-sonnet-4</c>). An unknown model has no price: tokens are reported, cost is not.
/// </summary>
public sealed class ModelPriceTable
{
    private readonly Dictionary<string, ModelPrice> _prices;

    public ModelPriceTable(IReadOnlyDictionary<string, ModelPrice> prices)
    {
        ArgumentNullException.ThrowIfNull(prices);
        _prices = new Dictionary<string, ModelPrice>(prices, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Defaults for current Anthropic and OpenAI models (USD per million tokens, list prices).</summary>
    public static ModelPriceTable Default { get; } = new(new Dictionary<string, ModelPrice>
    {
        ["claude-opus-4-5"] = Price(5, 25),
        ["claude-opus-4-1"] = Price(15, 75),
        ["claude-opus-4"] = Price(15, 75),
        ["claude-sonnet-4-5"] = Price(3, 15),
        ["claude-sonnet-4"] = Price(3, 15),
        ["claude-3-7-sonnet"] = Price(3, 15),
        ["claude-haiku-4-5"] = Price(1, 5),
        ["claude-3-5-haiku"] = Price(0.8m, 4),
        ["claude-3-haiku"] = Price(0.25m, 1.25m),
        ["gpt-5"] = Price(1.25m, 10),
        ["gpt-5-mini"] = Price(0.25m, 2),
        ["gpt-5-nano"] = Price(0.05m, 0.4m),
        ["gpt-4.1"] = Price(2, 8),
        ["gpt-4.1-mini"] = Price(0.4m, 1.6m),
        ["gpt-4.1-nano"] = Price(0.1m, 0.4m),
        ["gpt-4o"] = Price(2.5m, 10),
        ["gpt-4o-mini"] = Price(0.15m, 0.6m),
        ["gpt-4-turbo"] = Price(10, 30),
        ["o3"] = Price(2, 8),
        ["o4-mini"] = Price(1.1m, 4.4m),
        ["scripted"] = Price(0, 0),
    });

    /// <summary>
    /// Reads a JSON file <c>{"models": {"name": {"input_per_million": 3, "output_per_million": 15}}}</c>; its
    /// entries override and extend the defaults.
    /// </summary>
    public static ModelPriceTable LoadWithDefaults(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        PriceFile? file;
        try
        {
            file = JsonSerializer.Deserialize<PriceFile>(File.ReadAllText(path));
        }
        catch (Exception ex) when (ex is JsonException or IOException)
        {
            throw new InvalidDataException($"Price table {path} could not be read: {ex.Message}", ex);
        }

        var merged = new Dictionary<string, ModelPrice>(Default._prices, StringComparer.OrdinalIgnoreCase);
        foreach (var (model, price) in file?.Models ?? [])
        {
            if (price.InputPerMillion < 0 || price.OutputPerMillion < 0)
            {
                throw new InvalidDataException($"Price table {path}: models.{model} has a negative price");
            }

            merged[model] = price;
        }

        return new ModelPriceTable(merged);
    }

    /// <summary>The price of a model, or <see langword="null"/> when it is unknown.</summary>
    public ModelPrice? Find(string? model)
    {
        if (string.IsNullOrWhiteSpace(model))
        {
            return null;
        }

        var name = model.Contains('/', StringComparison.Ordinal) ? model[(model.LastIndexOf('/') + 1)..] : model;
        if (_prices.TryGetValue(name, out var exact))
        {
            return exact;
        }

        ModelPrice? best = null;
        var bestLength = 0;
        foreach (var (prefix, price) in _prices)
        {
            if (prefix.Length > bestLength && name.StartsWith(prefix + "-", StringComparison.OrdinalIgnoreCase))
            {
                best = price;
                bestLength = prefix.Length;
            }
        }

        return best;
    }

    /// <summary>Cost in USD, or <see langword="null"/> for an unknown model.</summary>
    public decimal? Cost(string? model, long inputTokens, long outputTokens) => Find(model)?.Cost(inputTokens, outputTokens);

    private static ModelPrice Price(decimal input, decimal output) => new() { InputPerMillion = input, OutputPerMillion = output };

    private sealed record PriceFile
    {
        [JsonPropertyName("models")]
        public Dictionary<string, ModelPrice>? Models { get; init; }
    }
}
