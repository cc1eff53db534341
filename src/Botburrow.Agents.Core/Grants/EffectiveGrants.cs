namespace Botburrow.Agents.Grants;

/// <summary>
/// An agent's effective grants: declared ∩ allowed − denied. A declared grant survives where an allowed pattern
/// covers it (or is narrowed to where they overlap: <c>hub:*</c> under <c>hub:read</c> gives <c>hub:read</c>) and is
/// dropped when a denied pattern covers it. Denied patterns also carve exceptions out of wider grants
/// (<c>postgres:*</c> with <c>postgres:write</c> denied holds <c>postgres:read</c> only).
/// </summary>
public sealed class EffectiveGrants
{
    private EffectiveGrants(string agent, IReadOnlyList<string> declared, GrantRule rule, string origin, IReadOnlyList<GrantDecision> decisions)
    {
        Agent = agent;
        Declared = declared;
        Rule = rule;
        Origin = origin;
        Decisions = decisions;
        Granted = decisions.SelectMany(d => d.Effective).Distinct().ToList();
    }

    /// <summary>Grants that hold nothing.</summary>
    public static EffectiveGrants Empty { get; } = Evaluate("", [], PermissionsPolicy.None);

    public string Agent { get; }

    public IReadOnlyList<string> Declared { get; }

    /// <summary>The policy rule that applied.</summary>
    public GrantRule Rule { get; }

    /// <summary>Where <see cref="Rule"/> comes from, in words.</summary>
    public string Origin { get; }

    public IReadOnlyList<GrantDecision> Decisions { get; }

    /// <summary>The grants in force (before the denied exceptions, which <see cref="Holds(Grant)"/> applies).</summary>
    public IReadOnlyList<Grant> Granted { get; }

    /// <summary>Evaluates <paramref name="declared"/> (as written in the agent's config) under <paramref name="policy"/>.</summary>
    public static EffectiveGrants Evaluate(string agent, IReadOnlyList<string> declared, PermissionsPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(declared);
        ArgumentNullException.ThrowIfNull(policy);
        var (rule, origin) = policy.RuleFor(agent);
        return Evaluate(agent, declared, rule, origin);
    }

    /// <summary>Evaluates <paramref name="declared"/> under one rule (agents without a policy use <see cref="GrantRule.AllowAll"/>).</summary>
    public static EffectiveGrants Evaluate(string agent, IReadOnlyList<string> declared, GrantRule rule, string origin)
    {
        ArgumentNullException.ThrowIfNull(declared);
        ArgumentNullException.ThrowIfNull(rule);
        var decisions = new List<GrantDecision>();
        foreach (var text in declared)
        {
            decisions.Add(Decide(text, rule));
        }

        return new EffectiveGrants(agent, declared, rule, origin, decisions);
    }

    /// <summary>True when the agent may use <paramref name="required"/>: a grant in force covers it and no denied pattern does.</summary>
    public bool Holds(Grant required)
    {
        ArgumentNullException.ThrowIfNull(required);
        return Granted.Any(g => g.Covers(required)) && !Rule.Denied.Any(d => d.Covers(required));
    }

    /// <summary><see cref="Holds(Grant)"/> for a grant written as text (a malformed one is never held).</summary>
    public bool Holds(string required) => Grant.TryParse(required, out var grant, out _) && Holds(grant);

    /// <summary>Why <paramref name="required"/> is or is not held, in one sentence.</summary>
    public string Explain(Grant required)
    {
        ArgumentNullException.ThrowIfNull(required);
        if (Rule.Denied.FirstOrDefault(d => d.Covers(required)) is { } denied)
        {
            return $"{required} is denied by '{denied}' ({Origin})";
        }

        if (Granted.FirstOrDefault(g => g.Covers(required)) is { } granted)
        {
            return $"{required} is held through '{granted}'";
        }

        return Declared.Count == 0 ? $"{required} is not held: the agent declares no grants" : $"{required} is not held: no effective grant covers it";
    }

    private static GrantDecision Decide(string text, GrantRule rule)
    {
        if (!Grant.TryParse(text, out var grant, out var error))
        {
            return new GrantDecision { Declared = text, Effective = [], Reason = "out: malformed: " + error };
        }

        if (rule.Denied.FirstOrDefault(d => d.Covers(grant)) is { } denier)
        {
            return new GrantDecision { Declared = text, Effective = [], Reason = $"out: denied by '{denier}'" };
        }

        if (rule.Allowed.FirstOrDefault(a => a.Covers(grant)) is { } allower)
        {
            var except = Exceptions(grant, rule);
            return new GrantDecision { Declared = text, Effective = [grant], Reason = $"in: allowed by '{allower}'{except}" };
        }

        var narrowed = rule.Allowed
            .Select(a => grant.Intersect(a))
            .OfType<Grant>()
            .Where(g => !rule.Denied.Any(d => d.Covers(g)))
            .Distinct()
            .ToList();
        if (narrowed.Count == 0)
        {
            var allowed = rule.Allowed.Count == 0 ? "nothing is allowed" : "allowed: " + string.Join(", ", rule.Allowed);
            return new GrantDecision { Declared = text, Effective = [], Reason = $"out: no allowed pattern covers it ({allowed})" };
        }

        var exceptions = string.Concat(narrowed.Select(g => Exceptions(g, rule)).Distinct());
        return new GrantDecision
        {
            Declared = text,
            Effective = narrowed,
            Reason = $"in, narrowed to {string.Join(", ", narrowed)}: the allowed patterns cover only that part of it{exceptions}",
        };
    }

    private static string Exceptions(Grant grant, GrantRule rule)
    {
        var partial = rule.Denied.Where(d => grant.Intersect(d) is not null).ToList();
        return partial.Count == 0 ? "" : $", except {string.Join(", ", partial)} (denied)";
    }
}
