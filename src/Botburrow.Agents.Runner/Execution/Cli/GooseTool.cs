using System.Text.Json;
using System.Text.Json.Nodes;
using Botburrow.Agents.Definitions.Model;

namespace Botburrow.Agents.Runner.Execution.Cli;

/// <summary>
/// goose: <c>goose run --no-session --quiet --output-format json --max-turns N --system TEXT --instructions -</c>
/// with the prompt on standard input. Provider and model come from <c>GOOSE_PROVIDER</c> and <c>GOOSE_MODEL</c>;
/// <c>GOOSE_MODE=auto</c> because a headless run fails on any approval request. The MCP servers are extensions
/// in the configuration file of the tool's own home (<c>~/.config/goose/config.yaml</c>, written as JSON, which
/// YAML reads), so credentials never appear on a command line; a server with write tools the agent may not use
/// runs behind <c>botburrow mcp filter</c>; the <c>developer</c> extension (shell and file editing) is enabled
/// only for agents with the shell. The answer is the text of the last assistant message of
/// the JSON document goose prints; tokens and cost come from its <c>metadata</c>.
/// </summary>
public sealed class GooseTool : CliTool
{
    public override AgentType Type => AgentType.Goose;

    public override string Program => "goose";

    /// <summary>goose filters an extension's tools only by an allow-list, so hidden tools go through <c>botburrow mcp filter</c>.</summary>
    public override bool RefusesToolsByName => false;

    public override CliInvocation Prepare(CliRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var extensions = new JsonObject
        {
            ["developer"] = new JsonObject { ["enabled"] = request.Permissions.Shell, ["type"] = "builtin", ["name"] = "developer", ["bundled"] = true, ["timeout"] = 300 },
        };
        foreach (var server in request.Servers)
        {
            var extension = new JsonObject { ["enabled"] = true, ["name"] = server.Name, ["timeout"] = 300 };
            if (server.Url is { } url)
            {
                extension["type"] = "streamable_http";
                extension["uri"] = url.ToString();
                extension["headers"] = ToJson(server.Headers);
            }
            else
            {
                extension["type"] = "stdio";
                extension["cmd"] = server.CommandLine[0];
                extension["args"] = new JsonArray([.. server.CommandLine.Skip(1).Select(a => (JsonNode?)a)]);
                extension["envs"] = ToJson(server.Environment);
            }

            extensions[server.Name] = extension;
        }

        var configDirectory = Path.Combine(request.Home, ".config", "goose");
        Directory.CreateDirectory(configDirectory);
        WritePrivateFile(configDirectory, "config.yaml", new JsonObject { ["extensions"] = extensions }.ToJsonString());

        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["GOOSE_MODEL"] = request.Agent.Brain.Model,
            ["GOOSE_MODE"] = "auto",
            ["GOOSE_DISABLE_KEYRING"] = "1",
            ["GOOSE_DISABLE_SESSION_NAMING"] = "true",
            ["GOOSE_TELEMETRY_ENABLED"] = "false",
            ["GOOSE_CLI_THEME"] = "ansi",
        };
        var provider = request.Provider;
        if (provider.Provider == LlmProvider.Anthropic)
        {
            environment["GOOSE_PROVIDER"] = "anthropic";
            environment["ANTHROPIC_API_KEY"] = provider.Key ?? "";
            if (provider.BaseUrl is { } anthropicBase)
            {
                environment["ANTHROPIC_HOST"] = anthropicBase.TrimEnd('/');
            }
        }
        else
        {
            // goose's openai provider speaks to any OpenAI-compatible server: OPENAI_HOST plus OPENAI_BASE_PATH.
            environment["GOOSE_PROVIDER"] = "openai";
            environment["OPENAI_API_KEY"] = string.IsNullOrEmpty(provider.Key) ? "no-key" : provider.Key;
            if (provider.BaseUrl is { } openAiBase && Uri.TryCreate(openAiBase, UriKind.Absolute, out var baseUri))
            {
                environment["OPENAI_HOST"] = baseUri.GetLeftPart(UriPartial.Authority);
                environment["OPENAI_BASE_PATH"] = baseUri.AbsolutePath.Trim('/') is { Length: > 0 } path ? path + "/chat/completions" : "v1/chat/completions";
            }
        }

        return new CliInvocation
        {
            Arguments =
            [
                "run", "--no-session", "--quiet", "--output-format", "json",
                "--max-turns", request.MaxTurns.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--system", request.SystemPrompt,
                "--instructions", "-",
            ],
            Environment = environment,
            StandardInput = request.UserPrompt,
        };
    }

    public override CliReply Read(ChildProcessResult result, CliRequest request)
    {
        ArgumentNullException.ThrowIfNull(result);
        var document = FindJsonDocument(result.StandardOutput);
        if (document is null)
        {
            throw result.ExitCode != 0 ? ExitedWith(result) : new CliToolFailedException("printed no JSON result: " + LastLine(result));
        }

        using (document)
        {
            var root = document.RootElement;
            var metadata = root.TryGetProperty("metadata", out var m) && m.ValueKind == JsonValueKind.Object ? m : default;
            if (metadata.ValueKind == JsonValueKind.Object && metadata.TryGetProperty("status", out var status) && status.GetString() == "error")
            {
                throw new CliToolFailedException("reported an error: " + LastLine(result));
            }

            if (result.ExitCode != 0)
            {
                throw ExitedWith(result);
            }

            var assistant = root.TryGetProperty("messages", out var messages) && messages.ValueKind == JsonValueKind.Array
                ? messages.EnumerateArray().Where(x => x.TryGetProperty("role", out var role) && role.GetString() == "assistant").ToList()
                : [];
            var text = assistant.Count == 0 ? "" : string.Concat(
                assistant[^1].TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.Array
                    ? content.EnumerateArray().Where(c => c.TryGetProperty("type", out var type) && type.GetString() == "text").Select(c => c.GetProperty("text").GetString())
                    : []);
            return new CliReply
            {
                Text = text.Trim(),
                InputTokens = Number(metadata, "input_tokens"),
                OutputTokens = Number(metadata, "output_tokens"),
                CostUsd = metadata.ValueKind == JsonValueKind.Object && metadata.TryGetProperty("cost_usd", out var cost) && cost.ValueKind == JsonValueKind.Number ? cost.GetDecimal() : null,
                Turns = Math.Max(1, assistant.Count),
            };
        }
    }

    /// <summary>The JSON document goose prints last (pretty-printed, starting on a line of its own).</summary>
    private static JsonDocument? FindJsonDocument(string output)
    {
        var text = output.ReplaceLineEndings("\n");
        for (var start = text.IndexOf('{', StringComparison.Ordinal); start >= 0; start = text.IndexOf("\n{", start + 1, StringComparison.Ordinal) is var next and >= 0 ? next + 1 : -1)
        {
            try
            {
                return JsonDocument.Parse(text[start..]);
            }
            catch (JsonException)
            {
            }
        }

        return null;
    }

    private static long Number(JsonElement parent, string name)
        => parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : 0;
}
