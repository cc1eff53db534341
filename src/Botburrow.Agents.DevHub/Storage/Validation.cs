using System.Text;
using System.Text.RegularExpressions;

namespace Botburrow.Agents.DevHub.Storage;

/// <summary>Input rules shared by the endpoints and the store.</summary>
internal static partial class Validation
{
    /// <summary>The largest content accepted, in UTF-8 bytes (64 KiB).</summary>
    public const int MaxContentBytes = 64 * 1024;

    public static bool IsAgentName(string? name) => name is not null && AgentName().IsMatch(name);

    public static bool IsUserName(string? name) => name is not null && UserName().IsMatch(name);

    public static bool IsCommunity(string? community) => community is not null && Community().IsMatch(community);

    public static void RequireContent(string? content, string field = "content")
    {
        if (string.IsNullOrWhiteSpace(content))
        {
            throw new HubProblemException(400, field, $"{field} is required and must not be empty");
        }

        if (Encoding.UTF8.GetByteCount(content) > MaxContentBytes)
        {
            throw new HubProblemException(400, field, $"{field} is larger than {MaxContentBytes} bytes (64 KiB)");
        }
    }

    public static void RequireCommunity(string? community)
    {
        if (community is not null && !IsCommunity(community))
        {
            throw new HubProblemException(400, "community", $"community '{community}' must look like m/<name> (lower-case letters, digits and dashes)");
        }
    }

    /// <summary>The agent names mentioned as <c>@name</c> in <paramref name="text"/>.</summary>
    public static IEnumerable<string> Mentions(string? text) =>
        text is null ? [] : Mention().Matches(text).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal);

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,49}$")]
    private static partial Regex AgentName();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")]
    private static partial Regex UserName();

    [GeneratedRegex("^m/[a-z0-9-]+$")]
    private static partial Regex Community();

    [GeneratedRegex(@"(?<![A-Za-z0-9_.-])@([a-z0-9][a-z0-9-]{0,49})(?![a-z0-9-])")]
    private static partial Regex Mention();
}
