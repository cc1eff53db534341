using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Botburrow.Agents.Definitions.Model;

namespace Botburrow.Agents.Runner.Execution.Cli;

/// <summary>
/// aider: <c>aider --message-file FILE --yes-always --no-git --model provider/M …</c>, one message and exit. aider has no
/// MCP and no structured output: the system prompt is a read-only file (<c>--read</c>), and the answer is read
/// from the chat history file it is told to keep in the workspace (its markdown: <c>####</c> lines are the user's,
/// <c>&gt;</c> lines are aider's own notes, the rest is the model's answer); tokens and cost come from its
/// <c>Tokens: … sent, … received. Cost: $… message</c> reports (summed over the run; "sent" is the input). URL scraping, shell command suggestions (unless
/// the shell is enabled), update checks, analytics and the repository map are switched off.
/// </summary>
public sealed partial class AiderTool : CliTool
{
    public override AgentType Type => AgentType.Aider;

    public override string Program => "aider";

    public override bool SpeaksMcp => false;

    public override CliInvocation Prepare(CliRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var config = request.ConfigDirectory;
        var provider = request.Provider;
        var prefix = provider.Provider == LlmProvider.Anthropic ? "anthropic/" : "openai/";
        var model = request.Agent.Brain.Model.StartsWith(prefix, StringComparison.Ordinal) ? request.Agent.Brain.Model : prefix + request.Agent.Brain.Model;
        List<string> arguments =
        [
            "--message-file", WritePrivateFile(config, "message.md", request.UserPrompt),
            "--read", WritePrivateFile(config, "system-prompt.md", request.SystemPrompt),
            "--model", model,
            "--yes-always",
            "--no-git",
            "--no-auto-commits",
            "--no-stream",
            "--no-pretty",
            "--no-check-update",
            "--no-show-model-warnings",
            "--no-analytics",
            "--no-gitignore",
            "--no-detect-urls",
            "--map-tokens", "0",
            "--chat-mode", request.Permissions.WriteFiles ? "code" : "ask",
            "--chat-history-file", Path.Combine(config, "chat-history.md"),
            "--input-history-file", Path.Combine(config, "input-history"),
        ];
        if (!request.Permissions.Shell)
        {
            arguments.Add("--no-suggest-shell-commands");
        }

        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["AIDER_NO_AUTO_COMMITS"] = "1",
        };
        if (provider.Provider == LlmProvider.Anthropic)
        {
            environment["ANTHROPIC_API_KEY"] = provider.Key ?? "";
            if (provider.BaseUrl is { } anthropicBase)
            {
                environment["ANTHROPIC_API_BASE"] = anthropicBase.TrimEnd('/');
            }
        }
        else
        {
            environment["OPENAI_API_KEY"] = string.IsNullOrEmpty(provider.Key) ? "no-key" : provider.Key;
            if (provider.BaseUrl is { } openAiBase)
            {
                environment["OPENAI_API_BASE"] = openAiBase.TrimEnd('/');
            }
        }

        return new CliInvocation { Arguments = arguments, Environment = environment };
    }

    public override CliReply Read(ChildProcessResult result, CliRequest request)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(request);
        if (result.ExitCode != 0)
        {
            throw ExitedWith(result);
        }

        var historyPath = Path.Combine(request.ConfigDirectory, "chat-history.md");
        var history = File.Exists(historyPath) ? File.ReadAllText(historyPath) : "";
        var answer = AnswerFromHistory(history);
        if (answer is null)
        {
            throw new CliToolFailedException("wrote no answer to its chat history: " + LastLine(result));
        }

        long input = 0, output = 0;
        decimal cost = 0;
        var costed = false;
        var reports = 0;
        foreach (Match match in TokensReport().Matches(result.StandardOutput))
        {
            reports++;
            input += Count(match.Groups["sent"].Value); // aider's "sent" already holds the cached prompt tokens
            output += Count(match.Groups["received"].Value);
            if (match.Groups["cost"].Success && decimal.TryParse(match.Groups["cost"].Value, NumberStyles.Number, CultureInfo.InvariantCulture, out var usd))
            {
                cost += usd;
                costed = true;
            }
        }

        return new CliReply
        {
            Text = answer,
            InputTokens = input,
            OutputTokens = output,
            CostUsd = costed ? cost : null,
            Turns = Math.Max(1, reports),
        };
    }

    /// <summary>The model's text after the last user message of an aider chat history, or <see langword="null"/> when there is none.</summary>
    public static string? AnswerFromHistory(string history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var lines = history.ReplaceLineEndings("\n").Split('\n');
        var lastUser = Array.FindLastIndex(lines, l => l.StartsWith("####", StringComparison.Ordinal));
        if (lastUser < 0)
        {
            return null;
        }

        var answer = new StringBuilder();
        foreach (var line in lines.Skip(lastUser + 1))
        {
            if (line.StartsWith('>'))
            {
                continue;
            }

            answer.Append(line).Append('\n');
        }

        return answer.ToString().Trim();
    }

    /// <summary>"1.2k" → 1200, "3,456" → 3456, "" → 0.</summary>
    private static long Count(string text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return 0;
        }

        var multiplier = text[^1] switch { 'k' => 1_000m, 'M' => 1_000_000m, _ => 1m };
        var number = multiplier == 1m ? text : text[..^1];
        return decimal.TryParse(number.Replace(",", "", StringComparison.Ordinal), NumberStyles.Number, CultureInfo.InvariantCulture, out var value)
            ? (long)Math.Round(value * multiplier)
            : 0;
    }

    [GeneratedRegex(@"Tokens: (?<sent>[\d.,]+[kM]?) sent(?:, (?<write>[\d.,]+[kM]?) cache write)?(?:, (?<hit>[\d.,]+[kM]?) cache hit)?, (?<received>[\d.,]+[kM]?) received\.(?:\s+Cost: \$(?<cost>[\d.,]+) message)?", RegexOptions.CultureInvariant)]
    private static partial Regex TokensReport();
}
