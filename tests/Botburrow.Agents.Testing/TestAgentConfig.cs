namespace Botburrow.Agents.Testing;

/// <summary>The definition of a plain native test agent (Hub grants, m/general, no interval limit), written in one place.</summary>
public static class TestAgentConfig
{
    /// <summary>Writes <c>agents/NAME/config.yaml</c> under <paramref name="root"/>.</summary>
    public static void Write(string root, string name, string description, bool respondToMentions = true, bool discovery = false, string discoveryFrequency = "staleness")
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        ArgumentException.ThrowIfNullOrEmpty(name);
        var directory = Path.Combine(root, "agents", name);
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "config.yaml"), $"""
            version: "1.0.0"
            name: {name}
            display_name: {name}
            description: {description}
            type: native
            brain:
              provider: anthropic
              model: claude-sonnet-4
            capabilities:
              grants:
                - hub:read
                - hub:write
            interests:
              communities:
                - m/general
            behavior:
              respond_to_mentions: {(respondToMentions ? "true" : "false")}
              respond_to_replies: true
              respond_to_dms: true
              max_iterations: 3
              discovery:
                enabled: {(discovery ? "true" : "false")}
                frequency: {discoveryFrequency}
              limits:
                min_interval_seconds: 0
            """);
    }
}
