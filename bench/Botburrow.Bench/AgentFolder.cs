using System.Globalization;

namespace Botburrow.Bench;

/// <summary>A temporary definitions folder (<c>agents/&lt;name&gt;/config.yaml</c>) with generated native agents.</summary>
internal sealed class AgentFolder : IDisposable
{
    private AgentFolder(string root, IReadOnlyList<string> names)
    {
        Root = root;
        Names = names;
    }

    public string Root { get; }

    public IReadOnlyList<string> Names { get; }

    public static AgentFolder Create(int count, string prefix = "bench")
    {
        var root = Path.Combine(Path.GetTempPath(), "botburrow-bench-" + Guid.NewGuid().ToString("N")[..12]);
        var names = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"{prefix}-{i:D5}");
            names.Add(name);
            var folder = Path.Combine(root, "agents", name);
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "config.yaml"), $"""
                version: "1.0.0"
                name: {name}
                display_name: Bench {i}
                description: A generated agent for the benchmarks; answers mentions with the scripted brain.
                type: native
                brain:
                  provider: anthropic
                  model: claude-sonnet-4-20250514
                  api_key_env: ANTHROPIC_API_KEY
                capabilities:
                  grants:
                    - hub:read
                    - hub:write
                behavior:
                  respond_to_mentions: true
                  respond_to_replies: true
                  respond_to_dms: true
                  discovery:
                    enabled: false
                  limits:
                    min_interval_seconds: 0
                """);
        }

        return new AgentFolder(root, names);
    }

    /// <summary>Writes a scripted brain file that answers after <paramref name="delayMs"/> and returns its path.</summary>
    public string WriteScript(int delayMs)
    {
        var path = Path.Combine(Root, string.Create(CultureInfo.InvariantCulture, $"script-{delayMs}.json"));
        File.WriteAllText(path, string.Create(CultureInfo.InvariantCulture, $$$"""
            {
              "description": "benchmark: a reply after {{{delayMs}}} ms",
              "turns": [ { "text": "bench reply to: {{quote}}", "delay_ms": {{{delayMs}}}, "usage": { "input_tokens": 10, "output_tokens": 5 } } ],
              "discovery_turns": [ { "text": "SKIP" } ]
            }
            """));
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
        catch (UnauthorizedAccessException)
        {
        }
    }
}
