using System.Text.Json;
using System.Text.Json.Nodes;
using Botburrow.Agents.Definitions.Model;

namespace Botburrow.Agents.Runner.Execution.Cli;

/// <summary>
/// Claude Code: <c>claude -p --output-format json --model M --max-turns N --append-system-prompt TEXT
/// --mcp-config FILE --strict-mcp-config --permission-mode dontAsk --no-session-persistence --tools BUILT-INS
/// [--max-budget-usd B] --allowedTools … --disallowedTools …</c> with the prompt on standard input. <c>--tools</c>
/// leaves only the built-in tools the grants allow (none at all: <c>""</c>). Only the MCP servers of the
/// configuration file run (the Hub's is <c>mcp__hub</c>); the allowed tools follow the agent's grants and shell
/// settings, everything else is disallowed, and <c>dontAsk</c> refuses whatever was not allowed. The answer is the <c>result</c> of the
/// JSON document; tokens come from <c>usage</c> (cache reads and writes counted as input) and the cost from
/// <c>total_cost_usd</c>.
/// </summary>
public sealed class ClaudeCodeTool : CliTool
{
    /// <summary>Claude Code's own tools that read files.</summary>
    public static IReadOnlyList<string> ReadTools { get; } = ["Read", "Glob", "Grep"];

    /// <summary>Claude Code's own tools that write or edit files.</summary>
    public static IReadOnlyList<string> WriteTools { get; } = ["Edit", "Write", "NotebookEdit"];

    /// <summary>Claude Code's own tools no grant allows (fetching from and searching the web, sub-agents).</summary>
    public static IReadOnlyList<string> NeverAllowed { get; } = ["WebFetch", "WebSearch", "Task", "Agent"];

    public override AgentType Type => AgentType.ClaudeCode;

    public override string Program => "claude";

    public override string? CheckProvider(ProviderAccess provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        return provider.Provider == LlmProvider.Anthropic
            ? null
            : $"claude-code speaks only to Anthropic's API, and the agent's brain.provider is {provider.ProviderName} (use provider anthropic; brain.api_base may name an Anthropic-compatible gateway)";
    }

    public override CliInvocation Prepare(CliRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var servers = new JsonObject();
        foreach (var server in request.Servers)
        {
            servers[server.Name] = server.Url is { } url
                ? new JsonObject { ["type"] = "http", ["url"] = url.ToString(), ["headers"] = ToJson(server.Headers) }
                : new JsonObject
                {
                    ["type"] = "stdio",
                    ["command"] = server.CommandLine[0],
                    ["args"] = new JsonArray([.. server.CommandLine.Skip(1).Select(a => (JsonNode?)a)]),
                    ["env"] = ToJson(server.Environment),
                };
        }

        var mcpConfig = WritePrivateFile(request.ConfigDirectory, "mcp.json", new JsonObject { ["mcpServers"] = servers }.ToJsonString());
        var (allowed, disallowed) = Tools(request);
        var builtIn = allowed.Where(t => !t.StartsWith("mcp__", StringComparison.Ordinal)).Select(t => t.Split('(')[0]).Distinct(StringComparer.Ordinal);
        List<string> arguments =
        [
            "-p",
            "--output-format", "json",
            "--model", request.Agent.Brain.Model,
            "--max-turns", request.MaxTurns.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--append-system-prompt", request.SystemPrompt,
            "--mcp-config", mcpConfig,
            "--strict-mcp-config",
            "--permission-mode", "dontAsk",
            "--no-session-persistence",
            "--tools", string.Join(',', builtIn),
        ];
        if (request.BudgetLeftUsd is { } budget)
        {
            arguments.Add("--max-budget-usd");
            arguments.Add(budget.ToString("0.######", System.Globalization.CultureInfo.InvariantCulture));
        }

        if (allowed.Count > 0)
        {
            arguments.Add("--allowedTools");
            arguments.Add(string.Join(',', allowed));
        }

        if (disallowed.Count > 0)
        {
            arguments.Add("--disallowedTools");
            arguments.Add(string.Join(',', disallowed));
        }

        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ANTHROPIC_API_KEY"] = request.Provider.Key ?? "",
            ["CLAUDE_CONFIG_DIR"] = Path.Combine(request.Home, ".claude"),
            ["CLAUDE_CODE_MAX_RETRIES"] = "2",
            ["DISABLE_AUTOUPDATER"] = "1",
            ["DISABLE_TELEMETRY"] = "1",
            ["DISABLE_ERROR_REPORTING"] = "1",
            ["CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"] = "1",

            // Wait for the MCP servers before the first request (print mode does not by default), and offer their
            // tools up front instead of through tool search (which gateways may not support).
            ["MCP_CONNECTION_NONBLOCKING"] = "0",
            ["ENABLE_TOOL_SEARCH"] = "false",
        };
        if (request.Provider.BaseUrl is { } baseUrl)
        {
            environment["ANTHROPIC_BASE_URL"] = baseUrl.TrimEnd('/');
        }

        return new CliInvocation { Arguments = arguments, Environment = environment, StandardInput = request.UserPrompt };
    }

    public override CliReply Read(ChildProcessResult result, CliRequest request)
    {
        ArgumentNullException.ThrowIfNull(result);
        JsonNode? root = null;
        var text = result.StandardOutput.Trim();
        var start = text.IndexOf('{', StringComparison.Ordinal);
        if (start >= 0)
        {
            try
            {
                root = JsonNode.Parse(text[start..]);
            }
            catch (JsonException)
            {
            }
        }

        if (root is null)
        {
            throw result.ExitCode != 0 ? ExitedWith(result) : new CliToolFailedException("printed no JSON result: " + LastLine(result));
        }

        var subtype = (string?)root["subtype"];
        if ((bool?)root["is_error"] == true || (subtype is not null && subtype != "success"))
        {
            // API and login errors come as subtype "success" with is_error and the message in result; the others
            // (error_max_turns, error_during_execution, error_max_budget_usd) carry an errors array.
            var errors = root["errors"] is JsonArray list ? string.Join("; ", list.Select(e => (string?)e)) : null;
            var reason = (string?)root["result"] is { Length: > 0 } message ? message
                : !string.IsNullOrEmpty(errors) ? errors
                : subtype ?? "unknown error";
            throw new CliToolFailedException(subtype is null or "success" ? reason : $"{reason} ({subtype})");
        }

        if (result.ExitCode != 0)
        {
            throw ExitedWith(result);
        }

        var usage = root["usage"];
        return new CliReply
        {
            Text = ((string?)root["result"] ?? "").Trim(),
            Model = (root["modelUsage"] as JsonObject)?.Select(p => p.Key).FirstOrDefault(),
            InputTokens = WholeNumber(usage?["input_tokens"]) + WholeNumber(usage?["cache_creation_input_tokens"]) + WholeNumber(usage?["cache_read_input_tokens"]),
            OutputTokens = WholeNumber(usage?["output_tokens"]),
            CostUsd = root["total_cost_usd"] is JsonValue cost && cost.TryGetValue<decimal>(out var usd) ? usd : null,
            Turns = (int)Math.Max(1, WholeNumber(root["num_turns"])),
        };
    }

    /// <summary>The tools pre-approved and the tools refused, from the agent's grants, shell settings and servers.</summary>
    public static (List<string> Allowed, List<string> Disallowed) Tools(CliRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var permissions = request.Permissions;
        List<string> allowed = [];
        List<string> disallowed = [.. NeverAllowed];
        (permissions.ReadFiles ? allowed : disallowed).AddRange(ReadTools);
        (permissions.WriteFiles ? allowed : disallowed).AddRange(WriteTools);
        if (!permissions.Shell)
        {
            disallowed.Add("Bash");
        }
        else if (permissions.ShellCommands.Count == 0)
        {
            allowed.Add("Bash");
        }
        else
        {
            allowed.AddRange(permissions.ShellCommands.Select(c => $"Bash({c}:*)"));
        }

        foreach (var server in request.Servers)
        {
            allowed.Add("mcp__" + server.Name);
            disallowed.AddRange(server.HiddenTools.Order(StringComparer.Ordinal).Select(t => $"mcp__{server.Name}__{t}"));
        }

        return (allowed, disallowed);
    }
}
