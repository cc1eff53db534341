using System.Diagnostics.CodeAnalysis;

namespace Botburrow.Agents.Grants;

/// <summary>
/// A capability grant <c>service:action[:resource]</c>; each segment is a name (lowercase letters, digits,
/// hyphens) or <c>*</c>. As a pattern, <c>*</c> matches any value of its segment and a missing resource matches
/// every resource; nothing else matches, so <c>github:read</c> never covers <c>github:write</c>.
/// </summary>
public sealed record Grant
{
    /// <summary>Explains the syntax in messages.</summary>
    public const string Syntax = "service:action[:resource], each segment lowercase letters, digits and hyphens or *, e.g. github:read, hub:*";

    public const string Wildcard = "*";

    private Grant(string service, string action, string? resource)
    {
        Service = service;
        Action = action;
        Resource = resource;
    }

    public string Service { get; }

    public string Action { get; }

    /// <summary>The resource the grant is limited to, or <see langword="null"/> for every resource.</summary>
    public string? Resource { get; }

    public static Grant Of(string service, string action, string? resource = null)
        => Parse(resource is null ? $"{service}:{action}" : $"{service}:{action}:{resource}");

    /// <summary>Parses a grant; a malformed one throws <see cref="FormatException"/> naming it and the syntax.</summary>
    public static Grant Parse(string text)
        => TryParse(text, out var grant, out var error) ? grant : throw new FormatException(error);

    public static bool TryParse(string? text, [NotNullWhen(true)] out Grant? grant, [NotNullWhen(false)] out string? error)
    {
        grant = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = $"an empty grant is not valid; expected {Syntax}";
            return false;
        }

        var parts = text.Split(':');
        if (parts.Length is < 2 or > 3)
        {
            error = $"'{text}' is not a valid grant: it has {parts.Length} segment{(parts.Length == 1 ? "" : "s")}; expected {Syntax}";
            return false;
        }

        foreach (var part in parts)
        {
            if (!IsSegment(part))
            {
                error = part.Length == 0
                    ? $"'{text}' is not a valid grant: a segment is empty; expected {Syntax}"
                    : $"'{text}' is not a valid grant: '{part}' is neither a name (lowercase letters, digits, hyphens) nor *; expected {Syntax}";
                return false;
            }
        }

        grant = new Grant(parts[0], parts[1], parts.Length == 3 ? parts[2] : null);
        error = null;
        return true;
    }

    /// <summary>True when this grant, read as a pattern, includes every use <paramref name="other"/> allows.</summary>
    public bool Covers(Grant other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return SegmentCovers(Service, other.Service)
            && SegmentCovers(Action, other.Action)
            && (Resource is null or Wildcard || (other.Resource is not null && other.Resource != Wildcard && Resource == other.Resource));
    }

    /// <summary>
    /// The grant both this and <paramref name="other"/> allow (e.g. <c>hub:*</c> ∩ <c>hub:read</c> = <c>hub:read</c>),
    /// or <see langword="null"/> when they share nothing.
    /// </summary>
    public Grant? Intersect(Grant other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var service = Meet(Service, other.Service);
        var action = Meet(Action, other.Action);
        if (service is null || action is null)
        {
            return null;
        }

        string? resource;
        if (Resource is null || Resource == Wildcard)
        {
            resource = other.Resource;
        }
        else if (other.Resource is null || other.Resource == Wildcard)
        {
            resource = Resource;
        }
        else if (Resource == other.Resource)
        {
            resource = Resource;
        }
        else
        {
            return null;
        }

        return new Grant(service, action, resource);
    }

    public override string ToString() => Resource is null ? $"{Service}:{Action}" : $"{Service}:{Action}:{Resource}";

    private static bool SegmentCovers(string pattern, string value) => pattern == Wildcard || pattern == value;

    private static string? Meet(string a, string b) => a == Wildcard ? b : b == Wildcard ? a : a == b ? a : null;

    private static bool IsSegment(string part)
    {
        if (part == Wildcard)
        {
            return true;
        }

        if (part.Length == 0)
        {
            return false;
        }

        foreach (var c in part)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'))
            {
                return false;
            }
        }

        return true;
    }
}
