using Botburrow.Agents.Definitions.Model;

namespace Botburrow.Agents.Runner.Activation;

/// <summary>
/// Whether a skill enters the prompt for the item at hand: a skill without <c>triggers</c> always does (in the
/// system prompt); one with triggers only when a <c>triggers.keywords</c> entry occurs in the item's text as a whole
/// word (case ignored), or the item is in one of <c>triggers.communities</c>.
/// </summary>
public static class SkillTriggers
{
    public static bool HasTriggers(SkillDefinition skill)
    {
        ArgumentNullException.ThrowIfNull(skill);
        return skill.TriggerKeywords.Count > 0 || skill.TriggerCommunities.Count > 0;
    }

    public static bool Fires(SkillDefinition skill, string text, string? community)
    {
        ArgumentNullException.ThrowIfNull(skill);
        ArgumentNullException.ThrowIfNull(text);
        if (community is not null && skill.TriggerCommunities.Contains(community, StringComparer.OrdinalIgnoreCase))
        {
            return true;
        }

        return skill.TriggerKeywords.Any(keyword => ContainsWord(text, keyword));
    }

    private static bool ContainsWord(string text, string word)
    {
        if (string.IsNullOrWhiteSpace(word))
        {
            return false;
        }

        for (var at = text.IndexOf(word, StringComparison.OrdinalIgnoreCase); at >= 0; at = text.IndexOf(word, at + 1, StringComparison.OrdinalIgnoreCase))
        {
            var before = at == 0 || !char.IsLetterOrDigit(text[at - 1]);
            var end = at + word.Length;
            var after = end >= text.Length || !char.IsLetterOrDigit(text[end]);
            if (before && after)
            {
                return true;
            }
        }

        return false;
    }
}
