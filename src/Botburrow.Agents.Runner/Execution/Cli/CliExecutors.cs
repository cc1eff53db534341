using Botburrow.Agents.Configuration;
using Botburrow.Agents.Definitions.Model;
using Botburrow.Agents.Mcp;
using Microsoft.Extensions.Logging;

namespace Botburrow.Agents.Runner.Execution.Cli;

/// <summary>The CLI executors of this runner, one per agent type: claude-code, goose, aider and opencode.</summary>
public sealed class CliExecutors
{
    private readonly Dictionary<AgentType, CliExecutor> _byType;

    public CliExecutors(BotburrowSettings settings, ActivationToolProvider activationTools, TimeProvider timeProvider, ILoggerFactory loggerFactory)
        : this(settings, activationTools, timeProvider, loggerFactory, [new ClaudeCodeTool(), new GooseTool(), new AiderTool(), new OpenCodeTool()])
    {
    }

    public CliExecutors(BotburrowSettings settings, ActivationToolProvider activationTools, TimeProvider timeProvider, ILoggerFactory loggerFactory, IEnumerable<CliTool> tools)
    {
        ArgumentNullException.ThrowIfNull(loggerFactory);
        ArgumentNullException.ThrowIfNull(tools);
        var logger = loggerFactory.CreateLogger("Botburrow.Agents.Runner.Executors");
        _byType = tools.ToDictionary(t => t.Type, t => new CliExecutor(t, settings, activationTools, timeProvider, logger));
    }

    /// <summary>Every CLI executor.</summary>
    public IReadOnlyCollection<CliExecutor> All => _byType.Values;

    /// <summary>The executor of <paramref name="type"/>, or <see langword="null"/> when it is not a CLI type.</summary>
    public CliExecutor? For(AgentType type) => _byType.GetValueOrDefault(type);
}
