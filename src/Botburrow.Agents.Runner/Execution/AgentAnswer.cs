using System.Globalization;
using System.Text.RegularExpressions;

namespace Botburrow.Agents.Runner.Execution;

/// <summary>An executor's final answer and what it cost.</summary>
public sealed partial record AgentAnswer
{
    /// <summary>The exact answer that means "nothing to post".</summary>
    public const string SkipText = "SKIP";

    public required string Text { get; init; }

    public string? Model { get; init; }

    public long InputTokens { get; init; }

    public long OutputTokens { get; init; }

    public int Iterations { get; init; }

    /// <summary>What the answer cost as the tool itself reported it (CLI tools that report cost), or <see langword="null"/> to price the tokens from the price table.</summary>
    public decimal? CostUsd { get; init; }

    /// <summary>
    /// True when the executor already counted this answer's usage into <see cref="ActivationContext.Meter"/> call by
    /// call; otherwise the pipeline counts <see cref="InputTokens"/> and <see cref="OutputTokens"/> itself.
    /// </summary>
    public bool Metered { get; init; }

    /// <summary>
    /// True when the agent already published through the Hub's post tool during the conversation; the runner then
    /// does not post the final text as well, so an answer is never published twice.
    /// </summary>
    public bool PublishedThroughTool { get; init; }

    /// <summary>
    /// The confidence the answer states on a line of its own, <c>CONFIDENCE 0.7</c> (any case; a colon, brackets or a
    /// percentage such as <c>[confidence: 70%]</c> are accepted), as a number from 0 to 1; the last such line counts.
    /// <see langword="null"/> when no line states one or the number is outside 0–1 (0–100 %).
    /// </summary>
    public double? Confidence
    {
        get
        {
            double? found = null;
            foreach (var line in Text.ReplaceLineEndings("\n").Split('\n'))
            {
                if (ParseConfidenceLine(line) is { } value)
                {
                    found = value;
                }
            }

            return found;
        }
    }

    /// <summary>The answer without its confidence lines (what may be published), trimmed.</summary>
    public string TextWithoutConfidence
        => string.Join('\n', Text.ReplaceLineEndings("\n").Split('\n').Where(l => !ConfidenceLine().IsMatch(l))).Trim();

    /// <summary>The model declined: the answer is <c>SKIP</c> (alone, any case, surrounding punctuation ignored; a confidence line beside it does not count) or empty.</summary>
    public bool IsSkip
    {
        get
        {
            var trimmed = TextWithoutConfidence.Trim('.', '!', '"', '\'', '`', '*').Trim();
            return trimmed.Length == 0 || trimmed.Equals(SkipText, StringComparison.OrdinalIgnoreCase);
        }
    }

    private static double? ParseConfidenceLine(string line)
    {
        var match = ConfidenceLine().Match(line);
        if (!match.Success || !double.TryParse(match.Groups["value"].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            return null;
        }

        if (match.Groups["percent"].Success)
        {
            value /= 100;
        }

        return value is >= 0 and <= 1 ? value : null;
    }

    [GeneratedRegex(@"^\s*[\[(*_`]*\s*confidence[\s:=*_`]*(?<value>\d+(?:\.\d+)?|\.\d+)\s*(?<percent>%)?\s*[\])*_`.]*\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ConfidenceLine();
}
