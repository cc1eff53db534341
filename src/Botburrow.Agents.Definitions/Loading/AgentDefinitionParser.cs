using Botburrow.Agents.Definitions.Model;
using Botburrow.Agents.Definitions.Permissions;
using Botburrow.Agents.Definitions.Validation;
using Botburrow.Agents.Definitions.Validation.Rules;
using Botburrow.Agents.Definitions.Yaml;

namespace Botburrow.Agents.Definitions.Loading;

/// <summary>
/// Parses and validates <c>config.yaml</c> and <c>SKILL.md</c> files: the schema's rules and the semantic checks,
/// reporting every problem of a file with its line, column, field and the allowed values.
/// </summary>
public static class AgentDefinitionParser
{
    /// <summary>The largest definition file accepted: 1 MiB.</summary>
    public const int MaxFileBytes = 1024 * 1024;

    /// <summary>Parses an agent's <c>config.yaml</c>.</summary>
    /// <param name="content">The file's bytes.</param>
    /// <param name="source">The file's path or URL, used in problems.</param>
    /// <param name="folderName">The agent's folder name, which <c>name</c> must equal; <see langword="null"/> skips the check.</param>
    /// <param name="systemPrompt">The content of <c>system-prompt.md</c>, if any.</param>
    /// <param name="knownSkills">The skill folders present; <c>capabilities.skills</c> must name one of them. <see langword="null"/> skips the check.</param>
    /// <param name="permissions">
    /// The permissions policy whose <c>provider_keys</c> <c>brain.api_key_env</c> may name; <see langword="null"/> (or a
    /// source without a file) allows only the provider's own key. Fleet secrets are refused either way (<see cref="ProviderKeys"/>).
    /// </param>
    public static DefinitionParseResult<AgentDefinition> ParseAgent(ReadOnlySpan<byte> content, string source, string? folderName = null, string? systemPrompt = null, IReadOnlyCollection<string>? knownSkills = null, PermissionsPolicySource? permissions = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        var problems = new ProblemCollector(source);
        var text = FileText.Decode(content, problems);
        if (text is null)
        {
            return Fail<AgentDefinition>(problems);
        }

        if (FileText.IsBlank(text))
        {
            problems.Add(1, 1, "", "the file is empty; an agent definition needs at least name, type, brain and capabilities");
            return Fail<AgentDefinition>(problems);
        }

        var root = ReadAndCheck(text, AgentSchema.Root, problems, emptyLine: 1, "the file has no content (only comments); an agent definition needs at least name, type, brain and capabilities", folderName, "agents/<name>/config.yaml");
        if (root is null)
        {
            return Fail<AgentDefinition>(problems);
        }

        if (knownSkills is not null && root is YMapping withSkills && withSkills["capabilities"] is YMapping capabilities && capabilities["skills"] is YSequence skills)
        {
            for (var i = 0; i < skills.Items.Count; i++)
            {
                if (skills.Items[i] is YScalar { Kind: ScalarKind.String } skill && !knownSkills.Contains(skill.Value))
                {
                    var available = knownSkills.Count == 0 ? "(none)" : string.Join(", ", knownSkills.Order(StringComparer.Ordinal));
                    problems.Add(skill, $"capabilities.skills[{i}]", $"'{skill.Value}' is not a skill in skills/ (no skills/{skill.Value}/SKILL.md); available: {available}");
                }
            }
        }

        if (root is YMapping agent)
        {
            CheckApiKeyEnv(agent, folderName, permissions, problems);
        }

        return problems.HasProblems
            ? Fail<AgentDefinition>(problems)
            : new DefinitionParseResult<AgentDefinition> { Value = ModelMapper.ToAgent((YMapping)root, source, systemPrompt ?? "") };
    }

    /// <summary>Parses a <c>SKILL.md</c>: YAML front matter between <c>---</c> lines, then markdown.</summary>
    public static DefinitionParseResult<SkillDefinition> ParseSkill(ReadOnlySpan<byte> content, string source, string? folderName = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        var problems = new ProblemCollector(source);
        var text = FileText.Decode(content, problems);
        if (text is null)
        {
            return Fail<SkillDefinition>(problems);
        }

        if (FileText.IsBlank(text))
        {
            problems.Add(1, 1, "", "the file is empty; a skill needs front matter (name, description) between '---' lines");
            return Fail<SkillDefinition>(problems);
        }

        var lines = text.Split('\n');
        if (lines[0].TrimEnd('\r') != "---")
        {
            problems.Add(1, 1, "", "the file must start with front matter: a '---' line, name and description, then another '---' line");
            return Fail<SkillDefinition>(problems);
        }

        var end = Array.FindIndex(lines, 1, l => l.TrimEnd('\r') is "---" or "...");
        if (end < 0)
        {
            problems.Add(1, 1, "", "the front matter has no closing '---' line");
            return Fail<SkillDefinition>(problems);
        }

        // A blank first line keeps the YAML parser's line numbers equal to the file's.
        var frontMatter = "\n" + string.Join('\n', lines[1..end]);
        var body = string.Join('\n', lines[(end + 1)..]).TrimStart('\r', '\n');
        var root = ReadAndCheck(frontMatter, SkillSchema.Root, problems, emptyLine: 2, "the front matter is empty; a skill needs name and description", folderName, "skills/<name>/SKILL.md");
        if (root is null)
        {
            return Fail<SkillDefinition>(problems);
        }

        return problems.HasProblems
            ? Fail<SkillDefinition>(problems)
            : new DefinitionParseResult<SkillDefinition> { Value = ModelMapper.ToSkill((YMapping)root, body, source) };
    }

    /// <summary>
    /// Reads YAML into a node tree and checks it against <paramref name="schema"/> and its folder's name. Returns
    /// <see langword="null"/> when there is nothing to check (syntax errors or no content, reported in
    /// <paramref name="problems"/>).
    /// </summary>
    private static YNode? ReadAndCheck(string yaml, ObjectRule schema, ProblemCollector problems, int emptyLine, string emptyMessage, string? folderName, string layout)
    {
        var root = YamlTreeReader.Read(yaml, problems);
        if (root is null or YScalar { Kind: ScalarKind.Null })
        {
            if (!problems.HasProblems)
            {
                problems.Add(emptyLine, 1, "", emptyMessage);
            }

            return null;
        }

        schema.Check(root, "", problems);
        if (root is YMapping mapping && folderName is not null
            && mapping["name"] is YScalar { Kind: ScalarKind.String } name && name.Value != folderName)
        {
            problems.Add(name, "name", $"'{name.Value}' does not match its folder '{folderName}'; the name must equal the folder ({layout})");
        }

        return root;
    }

    /// <summary>
    /// <c>brain.api_key_env</c> may name only a model provider's key (<see cref="ProviderKeys"/>): its value is sent as a
    /// bearer token to the URL the same definition names.
    /// </summary>
    private static void CheckApiKeyEnv(YMapping root, string? folderName, PermissionsPolicySource? permissions, ProblemCollector problems)
    {
        if (root["brain"] is not YMapping brain
            || brain["api_key_env"] is not YScalar { Kind: ScalarKind.String } variable
            || !Patterns.EnvironmentVariable().IsMatch(variable.Value))
        {
            return; // missing, or a shape the schema already reported
        }

        var provider = LlmProvider.Anthropic;
        if (brain["provider"] is YScalar { Kind: ScalarKind.String } providerName)
        {
            if (!DefinitionNames.Providers.Contains(providerName.Value, StringComparer.Ordinal))
            {
                if (ProviderKeys.NeverAllowed(variable.Value) is { } never)
                {
                    problems.Add(variable, "brain.api_key_env", $"'{variable.Value}' {never}");
                }

                return; // the unknown provider is reported by the schema
            }

            provider = DefinitionNames.ParseProvider(providerName.Value);
        }

        var agentName = root["name"] is YScalar { Kind: ScalarKind.String } name ? name.Value : folderName ?? "";
        if (ProviderKeys.Check(agentName, provider, variable.Value, permissions) is { } problem)
        {
            problems.Add(variable, "brain.api_key_env", problem);
        }
    }

    /// <summary>Checks a <c>system-prompt.md</c> (size and encoding) and returns its text.</summary>
    public static DefinitionParseResult<string> ParseSystemPrompt(ReadOnlySpan<byte> content, string source)
    {
        var problems = new ProblemCollector(source);
        var text = FileText.Decode(content, problems);
        return text is null ? Fail<string>(problems) : new DefinitionParseResult<string> { Value = text };
    }

    private static DefinitionParseResult<T> Fail<T>(ProblemCollector problems)
        where T : class
        => new() { Problems = problems.Problems.OrderBy(p => p.Line).ThenBy(p => p.Column ?? 0).ToList() };
}
