using System.Text;

namespace Botburrow.Agents.Definitions.Tests;

/// <summary>A temporary definitions folder (agents/ and skills/) that tests write files into; deleted on dispose.</summary>
internal sealed class TempDefinitions : IDisposable
{
    public TempDefinitions()
    {
        Root = Directory.CreateTempSubdirectory("botburrow-defs-").FullName;
        Directory.CreateDirectory(Path.Combine(Root, "agents"));
    }

    public string Root { get; }

    public string WriteAgent(string folder, string yaml, string? systemPrompt = null)
        => WriteAgentBytes(folder, Encoding.UTF8.GetBytes(yaml), systemPrompt);

    public string WriteAgentBytes(string folder, byte[] content, string? systemPrompt = null)
    {
        var directory = Path.Combine(Root, "agents", folder);
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "config.yaml");
        File.WriteAllBytes(path, content);
        if (systemPrompt is not null)
        {
            File.WriteAllText(Path.Combine(directory, "system-prompt.md"), systemPrompt);
        }

        return path;
    }

    public string WriteSkill(string folder, string content)
    {
        var directory = Path.Combine(Root, "skills", folder);
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "SKILL.md");
        File.WriteAllText(path, content);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
