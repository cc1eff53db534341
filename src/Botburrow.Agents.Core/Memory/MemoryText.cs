using System.Text;

namespace Botburrow.Agents.Memory;

/// <summary>
/// How memories are indexed and ranked, the same for every backend: text is split into lower-case words of
/// letters and digits (two characters or more, common English words left out); a word's weight in a memory is
/// <c>1 + min(count − 1, 9) / 10</c>, so matching more distinct words always ranks higher than repeating one.
/// </summary>
public static class MemoryText
{
    private const int MaxWordLength = 40;

    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "an", "and", "are", "as", "at", "be", "but", "by", "do", "for", "from", "has", "have", "he", "her", "his",
        "how", "i", "if", "in", "into", "is", "it", "its", "me", "my", "no", "not", "of", "on", "or", "our", "she",
        "so", "that", "the", "their", "them", "then", "there", "these", "they", "this", "to", "was", "we", "were",
        "what", "when", "where", "which", "who", "why", "will", "with", "you", "your",
    };

    /// <summary>The distinct words of <paramref name="text"/> with their counts, in first-seen order.</summary>
    public static IReadOnlyList<(string Word, int Count)> Words(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var order = new List<string>();
        var current = new StringBuilder();
        void Flush()
        {
            if (current.Length >= 2 && current.Length <= MaxWordLength)
            {
                var word = current.ToString();
                if (!StopWords.Contains(word))
                {
                    if (counts.TryGetValue(word, out var n))
                    {
                        counts[word] = n + 1;
                    }
                    else
                    {
                        counts[word] = 1;
                        order.Add(word);
                    }
                }
            }

            current.Clear();
        }

        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                current.Append(char.ToLowerInvariant(c));
            }
            else
            {
                Flush();
            }
        }

        Flush();
        return [.. order.Select(w => (w, counts[w]))];
    }

    /// <summary>A word's weight in a memory where it occurs <paramref name="count"/> times.</summary>
    public static double Weight(int count) => 1 + (Math.Min(count - 1, 9) / 10.0);

    /// <summary>The cosine similarity of two vectors (0 when their lengths differ or either is all zeros).</summary>
    public static double Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length || a.Length == 0)
        {
            return 0;
        }

        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += a[i] * (double)b[i];
            na += a[i] * (double)a[i];
            nb += b[i] * (double)b[i];
        }

        return na == 0 || nb == 0 ? 0 : dot / (Math.Sqrt(na) * Math.Sqrt(nb));
    }

    /// <summary>Orders search hits: best score first, then newest.</summary>
    public static IReadOnlyList<ScoredMemory> Rank(IEnumerable<ScoredMemory> hits, int count)
        => [.. hits.OrderByDescending(h => h.Score).ThenByDescending(h => h.Memory.CreatedAt).ThenBy(h => h.Memory.Id, StringComparer.Ordinal).Take(count)];
}
