using System.Text.Json;
using System.Text.Json.Nodes;
using Botburrow.Agents.Definitions.Model;

namespace Botburrow.Agents.Runner.Execution.Cli;

/// <summary>
/// opencode: <c>opencode run --format json --model provider/model PROMPT</c> with standard input closed (opencode
/// reads piped input to its end). Everything else is in the configuration file named by <c>OPENCODE_CONFIG</c>:
/// the system prompt as an <c>instructions</c> file, the MCP servers (<c>mcp</c>, local or remote, with their
/// scoped credentials), the write tools the agent's grants hide (<c>tools</c>), an explicit <c>permission</c> for
/// each of opencode's own tools (a headless run rejects whatever would ask), no sharing and no auto-update. The
/// answer is the text of the last step of the JSON event stream; tokens and cost are summed over its
/// <c>step_finish</c> events.
/// </summary>
public sealed class OpenCodeTool : CliTool
{
    /// <summary>The provider id opencode is given for a local OpenAI-compatible server.</summary>
    public const string LocalProviderId = "botburrow-local";

    /// <summary>Longest prompt passed as an argument; a longer one goes through standard input (Linux caps one argument at 128 KiB).</summary>
    private const int MaxPromptArgument = 100_000;

    public override AgentType Type => AgentType.OpenCode;

    public override string Program => "opencode";

    public override CliInvocation Prepare(CliRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var systemPrompt = WritePrivateFile(request.ConfigDirectory, "system-prompt.md", request.SystemPrompt);
        var permissions = request.Permissions;
        var shell = !permissions.Shell ? (JsonNode)"deny"
            : permissions.ShellCommands.Count == 0 ? "allow"
            : ShellRules(permissions.ShellCommands);
        var config = new JsonObject
        {
            ["$schema"] = "https://opencode.ai/config.json",
            ["share"] = "disabled",
            ["autoupdate"] = false,
            ["snapshot"] = false,
            ["instructions"] = new JsonArray(systemPrompt),
            ["permission"] = new JsonObject
            {
                ["read"] = Allow(permissions.ReadFiles),
                ["glob"] = Allow(permissions.ReadFiles),
                ["grep"] = Allow(permissions.ReadFiles),
                ["list"] = Allow(permissions.ReadFiles),
                ["edit"] = Allow(permissions.WriteFiles),
                ["bash"] = shell,
                ["lsp"] = Allow(permissions.ReadFiles),
                ["webfetch"] = "deny",
                ["websearch"] = "deny",
                ["codesearch"] = "deny",
                ["task"] = "deny",
                ["skill"] = "deny",
                ["external_directory"] = "deny",
                ["doom_loop"] = "deny",
            },
        };

        var mcp = new JsonObject();
        var hidden = new JsonObject();
        foreach (var server in request.Servers)
        {
            mcp[server.Name] = server.Url is { } url
                ? new JsonObject { ["type"] = "remote", ["url"] = url.ToString(), ["headers"] = ToJson(server.Headers), ["enabled"] = true }
                : new JsonObject
                {
                    ["type"] = "local",
                    ["command"] = new JsonArray([.. server.CommandLine.Select(a => (JsonNode?)a)]),
                    ["environment"] = ToJson(server.Environment),
                    ["enabled"] = true,
                };
            foreach (var tool in server.HiddenTools.Order(StringComparer.Ordinal))
            {
                hidden[server.Name + "_" + tool] = false;
            }
        }

        if (mcp.Count > 0)
        {
            config["mcp"] = mcp;
        }

        if (hidden.Count > 0)
        {
            config["tools"] = hidden;
        }

        var model = ModelFor(request, config);
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["OPENCODE_CONFIG"] = WritePrivateFile(request.ConfigDirectory, "opencode.json", config.ToJsonString()),
            ["OPENCODE_DISABLE_AUTOUPDATE"] = "1",
            ["OPENCODE_DISABLE_CLAUDE_CODE"] = "1",
        };
        if (request.SharedCache is { } cache)
        {
            // opencode installs provider packages (@ai-sdk/…) into its cache at run time: keep them across activations.
            environment["XDG_CACHE_HOME"] = cache;
        }
        if (request.Provider.Provider == LlmProvider.Anthropic)
        {
            environment["ANTHROPIC_API_KEY"] = request.Provider.Key ?? "";
        }
        else
        {
            environment["OPENAI_API_KEY"] = string.IsNullOrEmpty(request.Provider.Key) ? "no-key" : request.Provider.Key;
        }

        var prompt = request.UserPrompt;
        List<string> arguments = ["run", "--format", "json", "--model", model];
        if (prompt.Length <= MaxPromptArgument)
        {
            arguments.Add(prompt);
            return new CliInvocation { Arguments = arguments, Environment = environment };
        }

        return new CliInvocation { Arguments = arguments, Environment = environment, StandardInput = prompt };
    }

    public override CliReply Read(ChildProcessResult result, CliRequest request)
    {
        ArgumentNullException.ThrowIfNull(result);
        var finalStep = new List<string>();
        var sawEvent = false;
        long input = 0, output = 0;
        decimal cost = 0;
        var costed = false;
        var steps = 0;
        foreach (var line in result.StandardOutput.ReplaceLineEndings("\n").Split('\n'))
        {
            if (!line.StartsWith('{'))
            {
                continue;
            }

            JsonNode? node;
            try
            {
                node = JsonNode.Parse(line);
            }
            catch (JsonException)
            {
                continue;
            }

            sawEvent = true;
            var part = node?["part"];
            switch ((string?)node?["type"])
            {
                case "step_start":
                    finalStep.Clear();
                    break;
                case "text" when part is not null && part["text"] is JsonNode text:
                    finalStep.Add((string?)text ?? "");
                    break;
                case "step_finish":
                    steps++;
                    var tokens = part?["tokens"];
                    input += WholeNumber(tokens?["input"]) + WholeNumber(tokens?["cache"]?["read"]) + WholeNumber(tokens?["cache"]?["write"]);
                    output += WholeNumber(tokens?["output"]) + WholeNumber(tokens?["reasoning"]);
                    if (part?["cost"] is JsonValue value && value.TryGetValue<decimal>(out var stepCost))
                    {
                        cost += stepCost;
                        costed = true;
                    }

                    break;
                case "error":
                    var error = node?["error"];
                    var message = (string?)error?["data"]?["message"] ?? (string?)error?["name"] ?? error?.ToJsonString() ?? "unknown error";
                    throw new CliToolFailedException("reported an error: " + message);
                default:
                    break;
            }
        }

        if (result.ExitCode != 0)
        {
            throw ExitedWith(result);
        }

        if (!sawEvent)
        {
            throw new CliToolFailedException("printed no JSON events: " + LastLine(result));
        }

        return new CliReply
        {
            Text = string.Join("\n", finalStep).Trim(),
            InputTokens = input,
            OutputTokens = output,
            CostUsd = costed ? cost : null,
            Turns = Math.Max(1, steps),
        };
    }

    /// <summary>The <c>provider/model</c> opencode is run with; a base URL or a local server becomes a provider entry of the configuration.</summary>
    private static string ModelFor(CliRequest request, JsonObject config)
    {
        var provider = request.Provider;
        var model = request.Agent.Brain.Model;
        switch (provider.Provider)
        {
            case LlmProvider.Anthropic or LlmProvider.OpenAI:
                var id = provider.ProviderName;
                if (provider.BaseUrl is { } baseUrl)
                {
                    config["provider"] = new JsonObject { [id] = new JsonObject { ["options"] = new JsonObject { ["baseURL"] = baseUrl } } };
                }

                return id + "/" + model;
            default:
                config["provider"] = new JsonObject
                {
                    [LocalProviderId] = new JsonObject
                    {
                        ["npm"] = "@ai-sdk/openai-compatible",
                        ["name"] = "Local model",
                        ["options"] = new JsonObject { ["baseURL"] = provider.BaseUrl, ["apiKey"] = "{env:OPENAI_API_KEY}" },
                        ["models"] = new JsonObject { [model] = new JsonObject() },
                    },
                };
                return LocalProviderId + "/" + model;
        }
    }

    /// <summary>Only the allowed commands (each with any arguments); everything else is denied.</summary>
    private static JsonObject ShellRules(IReadOnlyList<string> commands)
    {
        var rules = new JsonObject { ["*"] = "deny" };
        foreach (var command in commands)
        {
            rules[command] = "allow";
            rules[command + " *"] = "allow";
        }

        return rules;
    }

    private static string Allow(bool allowed) => allowed ? "allow" : "deny";
}
