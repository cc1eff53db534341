using Botburrow.Agents.Definitions.Loading;
using Botburrow.Agents.Definitions.Validation;
using Botburrow.Agents.Definitions.Yaml;
using Botburrow.Agents.Grants;

namespace Botburrow.Agents.Definitions.Permissions;

/// <summary>
/// Reads the permissions policy (<c>AGENT_PERMISSIONS_PATH</c>) in the format of the original's
/// <c>permissions.yaml</c>:
/// <code>
/// agents:
///   NAME: { allowed_grants: [..], denied_grants: [..], provider_keys: [..] }
/// default: { allowed_grants: [..], denied_grants: [..], provider_keys: [..] }
/// </code>
/// A rule without <c>allowed_grants</c> allows every declared grant; an empty list allows none.
/// <c>provider_keys</c> (our extension) names the environment variables besides the provider's own key that the
/// agent's <c>brain.api_key_env</c> may name; a fleet secret or setting is refused there too
/// (<see cref="ProviderKeys.NeverAllowed"/>). Unknown keys, wrong types, malformed grants and refused variables are
/// errors with file, line and column.
/// </summary>
public static class PermissionsPolicyLoader
{
    private static readonly string[] TopKeys = ["agents", "default"];
    private static readonly string[] RuleKeys = ["allowed_grants", "denied_grants", ProviderKeys.PolicyKey];

    /// <summary>Loads the policy at <paramref name="path"/>, or <see cref="PermissionsPolicy.None"/> when it is null or empty.</summary>
    public static PermissionsPolicy LoadOrNone(string? path) => string.IsNullOrWhiteSpace(path) ? PermissionsPolicy.None : Load(path);

    public static PermissionsPolicy Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new PermissionsPolicyException($"Permissions policy not found: {full} (AGENT_PERMISSIONS_PATH)");
        }

        return Parse(File.ReadAllBytes(full), full);
    }

    /// <summary>Parses policy text; <paramref name="source"/> names the file in messages.</summary>
    public static PermissionsPolicy Parse(ReadOnlySpan<byte> bytes, string source)
    {
        var problems = new ProblemCollector(source);
        var text = FileText.Decode(bytes, problems);
        var root = text is null ? null : YamlTreeReader.Read(text, problems);
        if (problems.HasProblems)
        {
            throw new PermissionsPolicyException(problems.Problems);
        }

        if (root is not YMapping mapping)
        {
            problems.Add(root?.Line ?? 1, root?.Column, "", $"expected a mapping with 'agents' and/or 'default', got {root?.Describe() ?? "an empty file"}");
            throw new PermissionsPolicyException(problems.Problems);
        }

        var agents = new Dictionary<string, GrantRule>(StringComparer.Ordinal);
        GrantRule? fallback = null;
        foreach (var entry in mapping.Entries)
        {
            switch (entry.Key.Value)
            {
                case "agents":
                    ReadAgents(entry.Value, problems, agents);
                    break;
                case "default":
                    fallback = ReadRule(entry.Value, "default", problems);
                    break;
                default:
                    problems.Add(entry.Key, entry.Key.Value, $"unknown key; allowed: {string.Join(", ", TopKeys)}");
                    break;
            }
        }

        if (problems.HasProblems)
        {
            throw new PermissionsPolicyException(problems.Problems);
        }

        return new PermissionsPolicy { Source = source, Agents = agents, Default = fallback };
    }

    private static void ReadAgents(YNode node, ProblemCollector problems, Dictionary<string, GrantRule> agents)
    {
        if (node is YScalar { Kind: ScalarKind.Null })
        {
            return;
        }

        if (node is not YMapping mapping)
        {
            problems.Add(node, "agents", $"expected a mapping of agent name to rule, got {node.Describe()}");
            return;
        }

        foreach (var entry in mapping.Entries)
        {
            var path = "agents." + entry.Key.Value;
            if (ReadRule(entry.Value, path, problems) is { } rule)
            {
                agents[entry.Key.Value] = rule;
            }
        }
    }

    private static GrantRule? ReadRule(YNode node, string path, ProblemCollector problems)
    {
        if (node is YScalar { Kind: ScalarKind.Null })
        {
            return GrantRule.AllowAll;
        }

        if (node is not YMapping mapping)
        {
            problems.Add(node, path, $"expected a mapping with {string.Join(" and/or ", RuleKeys)}, got {node.Describe()}");
            return null;
        }

        IReadOnlyList<Grant>? allowed = null;
        IReadOnlyList<Grant> denied = [];
        IReadOnlyList<string> providerKeys = [];
        foreach (var entry in mapping.Entries)
        {
            var field = path + "." + entry.Key.Value;
            switch (entry.Key.Value)
            {
                case "allowed_grants":
                    allowed = ReadGrants(entry.Value, field, problems);
                    break;
                case "denied_grants":
                    denied = ReadGrants(entry.Value, field, problems);
                    break;
                case ProviderKeys.PolicyKey:
                    providerKeys = ReadProviderKeys(entry.Value, field, problems);
                    break;
                default:
                    problems.Add(entry.Key, field, $"unknown key; allowed: {string.Join(", ", RuleKeys)}");
                    break;
            }
        }

        return new GrantRule { Allowed = allowed ?? GrantRule.AllowAll.Allowed, Denied = denied, ProviderKeys = providerKeys };
    }

    private static List<string> ReadProviderKeys(YNode node, string path, ProblemCollector problems)
        => ReadList<string>(node, path, problems, "a list of environment variable names (such as MY_PROVIDER_KEY)", (item, field, keys) =>
        {
            if (item is not YScalar { Kind: ScalarKind.String } scalar || !Patterns.EnvironmentVariable().IsMatch(scalar.Value))
            {
                problems.Add(item, field, $"expected an environment variable name matching {Patterns.EnvironmentVariable()} (such as MY_PROVIDER_KEY), got {item.Describe()}");
            }
            else if (ProviderKeys.NeverAllowed(scalar.Value) is { } refused)
            {
                problems.Add(item, field, $"'{scalar.Value}' {refused}; {ProviderKeys.PolicyKey} may list only model provider keys");
            }
            else if (!keys.Contains(scalar.Value, StringComparer.Ordinal))
            {
                keys.Add(scalar.Value);
            }
        });

    private static List<Grant> ReadGrants(YNode node, string path, ProblemCollector problems)
        => ReadList<Grant>(node, path, problems, $"a list of grants ({Grant.Syntax})", (item, field, grants) =>
        {
            if (item is not YScalar { Kind: ScalarKind.String } scalar)
            {
                problems.Add(item, field, $"expected a grant ({Grant.Syntax}), got {item.Describe()}");
            }
            else if (Grant.TryParse(scalar.Value, out var grant, out var error))
            {
                grants.Add(grant);
            }
            else
            {
                problems.Add(item, field, error);
            }
        });

    /// <summary>A YAML list (null reads as empty); <paramref name="readItem"/> checks each item and adds what is valid.</summary>
    private static List<T> ReadList<T>(YNode node, string path, ProblemCollector problems, string expected, Action<YNode, string, List<T>> readItem)
    {
        var list = new List<T>();
        if (node is YScalar { Kind: ScalarKind.Null })
        {
            return list;
        }

        if (node is not YSequence sequence)
        {
            problems.Add(node, path, $"expected {expected}, got {node.Describe()}");
            return list;
        }

        for (var i = 0; i < sequence.Items.Count; i++)
        {
            readItem(sequence.Items[i], $"{path}[{i}]", list);
        }

        return list;
    }
}
