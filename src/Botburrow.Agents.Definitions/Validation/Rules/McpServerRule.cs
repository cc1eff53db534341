using Botburrow.Agents.Definitions.Model;
using Botburrow.Agents.Definitions.Yaml;

namespace Botburrow.Agents.Definitions.Validation.Rules;

/// <summary>
/// An item of <c>capabilities.mcp_servers</c>: a built-in server's name, or a fully specified server
/// <c>{name, command, args, env}</c> (stdio) or <c>{name, url, headers}</c> (streamable HTTP).
/// </summary>
internal sealed class McpServerRule : Rule
{
    private static readonly ObjectRule Shape = new(
        [
            ("name", new StringRule { MinLength = 1 }),
            ("command", new StringRule { MinLength = 1 }),
            ("args", new ArrayRule(new StringRule())),
            ("env", StringMapRule.Instance),
            ("url", new StringRule { AbsoluteUri = true }),
            ("headers", StringMapRule.Instance),
        ],
        "name");

    private static readonly string AllowedText =
        string.Join(", ", BuiltInMcpServers.Names) + ", or a mapping {name, command, args, env} (stdio) or {name, url} (streamable HTTP)";

    public override string Expected => "a built-in server name or a mapping {name, command, args, env}";

    public override void Check(YNode node, string path, ProblemCollector problems)
    {
        switch (node)
        {
            case YScalar { Kind: ScalarKind.String } name:
                if (!BuiltInMcpServers.Names.Contains(name.Value, StringComparer.Ordinal))
                {
                    problems.Add(node, path, $"'{name.Value}' is not a built-in MCP server; allowed: {AllowedText}");
                }

                break;
            case YMapping mapping:
                Shape.Check(mapping, path, problems);
                var label = mapping["name"] is YScalar { Kind: ScalarKind.String } n ? $"server '{n.Value}'" : "the server";
                var hasCommand = mapping["command"] is not null;
                var hasUrl = mapping["url"] is not null;
                if (!hasCommand && !hasUrl)
                {
                    problems.Add(mapping, YamlTreeReader.Join(path, "command"), $"required key is missing: {label} needs 'command' (a stdio server) or 'url' (a streamable HTTP server)");
                }
                else if (hasCommand && hasUrl)
                {
                    problems.Add(mapping, path, $"{label} sets both 'command' and 'url'; set one of them");
                }
                else if (hasCommand && mapping["headers"] is not null)
                {
                    problems.Add(mapping, YamlTreeReader.Join(path, "headers"), $"'headers' belongs to a url server; {label} runs 'command' (use 'env')");
                }
                else if (hasUrl && (mapping["args"] is not null || mapping["env"] is not null))
                {
                    problems.Add(mapping, path, $"'args' and 'env' belong to a command server; {label} has a 'url' (use 'headers')");
                }

                break;
            default:
                WrongType(node, path, problems, $"; allowed: {AllowedText}");
                break;
        }
    }
}
