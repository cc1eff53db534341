using k8s.Models;

namespace Botburrow.Deployment.Tests.Manifests;

internal static class LabelSelectors
{
    public static bool Matches(IDictionary<string, string>? selector, IDictionary<string, string>? labels)
        => selector is { Count: > 0 } && selector.All(pair => labels is not null && labels.TryGetValue(pair.Key, out var value) && value == pair.Value);

    /// <summary>Kubernetes label-selector semantics; an empty selector matches everything.</summary>
    public static bool Matches(V1LabelSelector? selector, IDictionary<string, string>? labels)
    {
        if (selector is null)
        {
            return false;
        }

        labels ??= new Dictionary<string, string>();
        if (selector.MatchLabels is { } matchLabels && !matchLabels.All(p => labels.TryGetValue(p.Key, out var v) && v == p.Value))
        {
            return false;
        }

        foreach (var expression in selector.MatchExpressions ?? [])
        {
            var has = labels.TryGetValue(expression.Key, out var value);
            var ok = expression.OperatorProperty switch
            {
                "In" => has && expression.Values.Contains(value!),
                "NotIn" => !has || !expression.Values.Contains(value!),
                "Exists" => has,
                "DoesNotExist" => !has,
                _ => throw new InvalidOperationException($"unknown selector operator {expression.OperatorProperty}"),
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A selector written as <c>key=value[,key=value]</c> (the form of <c>kubectl -l</c>).</summary>
    public static Dictionary<string, string> Parse(string text)
        => text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => part.Split('=', 2))
            .ToDictionary(kv => kv[0], kv => kv.Length > 1 ? kv[1] : "");
}
