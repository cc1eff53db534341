using System.Text.RegularExpressions;
using Botburrow.Agents.Testing;

namespace Botburrow.Deployment.Tests.Containers;

/// <summary>The patterns of <c>.dockerignore</c> (Go filepath.Match with <c>**</c>; later <c>!</c> lines re-include).</summary>
internal sealed class DockerIgnore
{
    private readonly List<(Regex Pattern, bool Exclude)> _rules;

    private DockerIgnore(List<(Regex Pattern, bool Exclude)> rules) => _rules = rules;

    public static DockerIgnore Load()
    {
        var rules = new List<(Regex, bool)>();
        foreach (var raw in File.ReadLines(Path.Combine(RepositoryPaths.RepositoryRoot, ".dockerignore")))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var exclude = !line.StartsWith('!');
            var pattern = line.TrimStart('!').Trim('/');
            var regex = "^" + Regex.Escape(pattern)
                .Replace(@"\*\*/", "(.*/)?", StringComparison.Ordinal)
                .Replace(@"\*\*", ".*", StringComparison.Ordinal)
                .Replace(@"\*", "[^/]*", StringComparison.Ordinal)
                .Replace(@"\?", "[^/]", StringComparison.Ordinal) + "$";
            rules.Add((new Regex(regex, RegexOptions.CultureInvariant), exclude));
        }

        return new DockerIgnore(rules);
    }

    /// <summary>Whether a path (relative to the context, '/' separators) or one of its parents is excluded.</summary>
    public bool Excludes(string path)
    {
        var parts = path.Split('/');
        for (var length = 1; length <= parts.Length; length++)
        {
            var prefix = string.Join('/', parts[..length]);
            bool? excluded = null;
            foreach (var (pattern, exclude) in _rules)
            {
                if (pattern.IsMatch(prefix))
                {
                    excluded = exclude;
                }
            }

            if (excluded == true)
            {
                return true;
            }
        }

        return false;
    }
}
