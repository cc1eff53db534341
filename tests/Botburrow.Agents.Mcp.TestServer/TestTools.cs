using System.ComponentModel;
using System.Text.Json;
using ModelContextProtocol.Server;

namespace Botburrow.Agents.Mcp.TestServer;

/// <summary>The test server's tools.</summary>
[McpServerToolType]
public sealed class TestTools
{
    [McpServerTool(Name = "get_env"), Description("Returns the named environment variables as a JSON object; unset ones are null.")]
    public static string GetEnv([Description("Comma-separated variable names")] string names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var values = names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .ToDictionary(n => n, Environment.GetEnvironmentVariable);
        return JsonSerializer.Serialize(values);
    }

    [McpServerTool(Name = "add"), Description("Adds two numbers.")]
    public static int Add(int a, int b) => a + b;

    [McpServerTool(Name = "write_note"), Description("Pretends to write a note (a write tool).")]
    public static string WriteNote(string text) => "noted: " + text;

    [McpServerTool(Name = "wait"), Description("Waits the given milliseconds, then answers.")]
    public static async Task<string> Wait(int milliseconds, CancellationToken cancellationToken)
    {
        await Task.Delay(milliseconds, cancellationToken);
        return "waited";
    }

    [McpServerTool(Name = "cwd"), Description("Returns the working directory.")]
    public static string Cwd() => Environment.CurrentDirectory;
}
