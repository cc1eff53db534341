using System.Globalization;
using System.Text.Json;
using Botburrow.Agents.Testing;

namespace Botburrow.EndToEnd.Tests;

/// <summary>
/// A temporary folder with agent definitions (<c>agents/&lt;name&gt;/config.yaml</c>), a folder of scripted
/// brains (<c>scripts/&lt;name&gt;.json</c>) and a model price table.
/// </summary>
public sealed class TestAgents : IDisposable
{
    public TestAgents()
    {
        Root = Directory.CreateTempSubdirectory("botburrow-e2e-").FullName;
        Directory.CreateDirectory(ScriptsDirectory);
        Directory.CreateDirectory(Path.Combine(Root, "agents"));
    }

    public string Root { get; }

    /// <summary>The definitions root (AGENT_DEFINITIONS_PATH and the dev Hub's agents directory).</summary>
    public string DefinitionsDirectory => Root;

    /// <summary>SCRIPTED_BRAIN: a folder of <c>&lt;agent&gt;.json</c> scripts.</summary>
    public string ScriptsDirectory => Path.Combine(Root, "scripts");

    /// <summary>MODEL_PRICES_PATH: prices the scripted test double at 1000 USD / 2000 USD per million tokens.</summary>
    public string PricesPath
    {
        get
        {
            var path = Path.Combine(Root, "prices.json");
            if (!File.Exists(path))
            {
                File.WriteAllText(path, """{"models": {"scripted": {"input_per_million": 1000, "output_per_million": 2000}}}""");
            }

            return path;
        }
    }

    public void AddAgent(string name, bool respondToMentions = true, bool discovery = false)
        => TestAgentConfig.Write(Root, name, "End-to-end test agent.", respondToMentions, discovery);

    /// <summary>Writes the agent's scripted brain: one turn answering <paramref name="text"/>.</summary>
    public void Script(string name, string text, int delayMs = 0, bool hang = false, long inputTokens = 0, long outputTokens = 0, string? discoveryText = null)
    {
        var turn = new Dictionary<string, object?>
        {
            ["text"] = text,
            ["usage"] = new Dictionary<string, long> { ["input_tokens"] = inputTokens, ["output_tokens"] = outputTokens },
        };
        if (delayMs > 0)
        {
            turn["delay_ms"] = delayMs;
        }

        if (hang)
        {
            turn["hang"] = true;
        }

        var script = new Dictionary<string, object?> { ["turns"] = new[] { turn } };
        if (discoveryText is not null)
        {
            script["discovery_turns"] = new[] { new Dictionary<string, object?> { ["text"] = discoveryText } };
        }

        File.WriteAllText(Path.Combine(ScriptsDirectory, name + ".json"), JsonSerializer.Serialize(script));
    }

    public static string Seconds(double seconds) => seconds.ToString(CultureInfo.InvariantCulture);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
