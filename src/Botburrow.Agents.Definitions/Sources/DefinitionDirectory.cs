using Botburrow.Agents.Definitions.Loading;
using Botburrow.Agents.Definitions.Model;
using Botburrow.Agents.Definitions.Permissions;
using Botburrow.Agents.Definitions.Validation;
using Microsoft.Extensions.Logging;

namespace Botburrow.Agents.Definitions.Sources;

/// <summary>
/// Reads the git-sync layout: <c>agents/&lt;name&gt;/config.yaml</c> (+ <c>system-prompt.md</c>), <c>skills/&lt;name&gt;/SKILL.md</c>.
/// Every file is checked by <see cref="DefinitionPath"/> before it is opened: one that resolves outside the root or
/// is not a regular file is refused as a problem of that agent or skill alone.
/// </summary>
internal static class DefinitionDirectory
{
    public const string ConfigFile = "config.yaml";
    public const string SystemPromptFile = "system-prompt.md";
    public const string SkillFile = "SKILL.md";

    public static async Task<AgentDefinition> LoadAgentAsync(string root, string agentId, PermissionsPolicySource? permissions, ILogger logger, CancellationToken cancellationToken)
    {
        CheckName(agentId);
        var configPath = Path.Combine(root, "agents", agentId, ConfigFile);
        var config = DefinitionPath.CheckFile(root, configPath);
        if (config.Problem is { } refused)
        {
            Log.DefinitionInvalid(logger, configPath, 1, refused.Format());
            throw new AgentDefinitionException([refused]);
        }

        if (config.IsMissing)
        {
            Log.AgentConfigNotFound(logger, configPath);
            throw new AgentConfigNotFoundException(configPath);
        }

        var (definition, problems) = await ReadAgentAsync(root, Path.Combine(root, "agents", agentId), null, permissions, logger, cancellationToken);
        if (definition is null)
        {
            throw new AgentDefinitionException(problems);
        }

        var skills = new List<SkillDefinition>();
        foreach (var name in definition.Capabilities.Skills)
        {
            var path = Path.Combine(root, "skills", name, SkillFile);
            var skillFile = Patterns.Name().IsMatch(name) ? DefinitionPath.CheckFile(root, path) : FileCheck.Missing;
            if (skillFile.Problem is { } skillProblem)
            {
                Log.DefinitionInvalid(logger, path, 1, skillProblem.Format());
            }
            else if (skillFile.Path is { } readable)
            {
                var skill = AgentDefinitionParser.ParseSkill(await ReadLimitedAsync(readable, cancellationToken), path, name).Value;
                if (skill is not null)
                {
                    skills.Add(skill);
                }
            }
        }

        return skills.Count == 0 ? definition : definition with { SkillDefinitions = skills };
    }

    public static async Task<AgentCatalog> ScanAsync(string root, PermissionsPolicySource? permissions, ILogger logger, CancellationToken cancellationToken)
    {
        var agents = new List<AgentDefinition>();
        var skills = new List<SkillDefinition>();
        var problems = new List<DefinitionProblem>();
        var skillsRoot = Path.Combine(root, "skills");
        var skillFolders = Folders(skillsRoot);
        var presentSkills = new HashSet<string>(StringComparer.Ordinal);
        foreach (var folder in skillFolders)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var path = Path.Combine(folder, SkillFile);
            var file = DefinitionPath.CheckFile(root, path);
            if (!file.IsMissing)
            {
                presentSkills.Add(Path.GetFileName(folder));
            }

            if (file.Problem is { } refused)
            {
                problems.Add(refused);
                continue;
            }

            if (file.Path is not { } readable)
            {
                problems.Add(new DefinitionProblem { File = path, Line = 1, Field = "", Message = "missing: every folder under skills/ needs a SKILL.md" });
                continue;
            }

            DefinitionParseResult<SkillDefinition> result;
            try
            {
                result = AgentDefinitionParser.ParseSkill(await ReadLimitedAsync(readable, cancellationToken), path, Path.GetFileName(folder));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                problems.Add(new DefinitionProblem { File = path, Line = 1, Field = "", Message = "cannot read the skill: " + ex.Message });
                continue;
            }

            problems.AddRange(result.Problems);
            if (result.Value is not null)
            {
                Log.SkillLoaded(logger, result.Value.Name, path);
                skills.Add(result.Value);
            }
        }

        // Agents may only name skills that exist, when the definitions have a skills/ folder at all.
        IReadOnlyCollection<string>? knownSkills = Directory.Exists(skillsRoot) ? presentSkills : null;
        var agentProblems = new List<DefinitionProblem>();
        var agentFolders = Folders(Path.Combine(root, "agents"));
        foreach (var folder in agentFolders)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var config = DefinitionPath.CheckFile(root, Path.Combine(folder, ConfigFile));
            if (config.Problem is { } refused)
            {
                Log.DefinitionInvalid(logger, refused.File, 1, refused.Format());
                agentProblems.Add(refused);
                continue;
            }

            if (config.IsMissing)
            {
                agentProblems.Add(new DefinitionProblem { File = Path.Combine(folder, ConfigFile), Line = 1, Field = "", Message = "missing: every folder under agents/ needs a config.yaml" });
                continue;
            }

            var (definition, found) = await ReadAgentAsync(root, folder, knownSkills, permissions, logger, cancellationToken);
            agentProblems.AddRange(found);
            if (definition is not null)
            {
                var named = skills.Where(s => definition.Capabilities.Skills.Contains(s.Name, StringComparer.Ordinal)).ToList();
                agents.Add(named.Count == 0 ? definition : definition with { SkillDefinitions = named });
            }
        }

        problems.InsertRange(0, agentProblems);
        Log.DefinitionsScanned(logger, root, agents.Count, skills.Count, problems.Count);
        return new AgentCatalog
        {
            Root = root,
            Agents = agents,
            Skills = skills,
            Problems = problems,
            AgentFilesChecked = agentFolders.Count,
            SkillFilesChecked = skillFolders.Count,
        };
    }

    /// <summary>Reads at most one byte more than the limit, so an oversized file is refused without reading it all.</summary>
    public static async Task<byte[]> ReadLimitedAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 4096, useAsync: true);
        return await ReadLimitedAsync(stream, cancellationToken);
    }

    public static async Task<byte[]> ReadLimitedAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while (buffer.Length <= AgentDefinitionParser.MaxFileBytes
            && (read = await stream.ReadAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, AgentDefinitionParser.MaxFileBytes + 1 - buffer.Length)), cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    public static void CheckName(string agentId)
    {
        ArgumentNullException.ThrowIfNull(agentId);
        if (!Patterns.Name().IsMatch(agentId))
        {
            throw new AgentDefinitionSourceException($"'{agentId}' is not a valid agent name (lowercase letters, digits and hyphens)");
        }
    }

    private static async Task<(AgentDefinition? Definition, IReadOnlyList<DefinitionProblem> Problems)> ReadAgentAsync(string root, string folder, IReadOnlyCollection<string>? knownSkills, PermissionsPolicySource? permissions, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            return await ReadAgentFilesAsync(root, folder, knownSkills, permissions, logger, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            var problem = new DefinitionProblem { File = Path.Combine(folder, ConfigFile), Line = 1, Field = "", Message = "cannot read the definition: " + ex.Message };
            Log.DefinitionInvalid(logger, problem.File, 1, problem.Message);
            return (null, [problem]);
        }
    }

    private static async Task<(AgentDefinition? Definition, IReadOnlyList<DefinitionProblem> Problems)> ReadAgentFilesAsync(string root, string folder, IReadOnlyCollection<string>? knownSkills, PermissionsPolicySource? permissions, ILogger logger, CancellationToken cancellationToken)
    {
        var configPath = Path.Combine(folder, ConfigFile);
        var promptPath = Path.Combine(folder, SystemPromptFile);
        string? prompt = null;
        var problems = new List<DefinitionProblem>();
        var promptFile = DefinitionPath.CheckFile(root, promptPath);
        if (promptFile.Problem is { } refusedPrompt)
        {
            problems.Add(refusedPrompt);
        }
        else if (promptFile.Path is { } readablePrompt)
        {
            var promptResult = AgentDefinitionParser.ParseSystemPrompt(await ReadLimitedAsync(readablePrompt, cancellationToken), promptPath);
            problems.AddRange(promptResult.Problems);
            prompt = promptResult.Value;
        }

        // Checked again just before reading: the folder may have changed since the caller looked.
        var config = DefinitionPath.CheckFile(root, configPath);
        if (config.Path is not { } readableConfig)
        {
            problems.Insert(0, config.Problem ?? new DefinitionProblem { File = configPath, Line = 1, Field = "", Message = "missing: every folder under agents/ needs a config.yaml" });
            Log.DefinitionInvalid(logger, configPath, problems.Count, problems[0].Format());
            return (null, problems);
        }

        var result = AgentDefinitionParser.ParseAgent(await ReadLimitedAsync(readableConfig, cancellationToken), configPath, Path.GetFileName(folder), prompt, knownSkills, permissions);
        problems.InsertRange(0, result.Problems);
        if (problems.Count > 0)
        {
            Log.DefinitionInvalid(logger, configPath, problems.Count, problems[0].Format());
            return (null, problems);
        }

        Log.DefinitionLoaded(logger, result.Value!.Name, configPath); // valid, so a value
        foreach (var notice in Validation.DefinitionNotices.For(result.Value))
        {
            Log.DefinitionNotice(logger, configPath, notice);
        }

        return (result.Value, problems);
    }

    private static List<string> Folders(string path)
        => Directory.Exists(path)
            ? Directory.GetDirectories(path).Where(d => !Path.GetFileName(d).StartsWith('.')).Order(StringComparer.Ordinal).ToList()
            : [];
}
