using System.CommandLine;
using Botburrow.Agents.Configuration;
using Botburrow.Agents.DevHub;
using Microsoft.Extensions.Logging;

namespace Botburrow.Cli.Commands;

/// <summary>
/// <c>botburrow hub --db FILE --port P [--agents DIR] [--admin-key K] [--host H]</c>: runs the dev Hub until stopped.
/// The admin key defaults to <c>HUB_API_KEY</c> (so that a coordinator with the same settings can use it), and is
/// generated and printed when neither is given. Agents default to <c>AGENT_DEFINITIONS_PATH</c>.
/// </summary>
internal sealed class HubCommand : Command
{
    private readonly Option<FileInfo> _db = new("--db") { Description = "The SQLite database file (created when missing).", DefaultValueFactory = _ => new FileInfo("botburrow-hub.db") };
    private readonly Option<int> _port = new("--port") { Description = "The port to listen on (0 picks a free one).", DefaultValueFactory = _ => 8000 };
    private readonly Option<string> _host = new("--host") { Description = "The address to listen on.", DefaultValueFactory = _ => "127.0.0.1" };
    private readonly Option<DirectoryInfo?> _agents = new("--agents") { Description = "Agent definitions folder: each agents/<name>/config.yaml registers an agent (default AGENT_DEFINITIONS_PATH)." };
    private readonly Option<string?> _adminKey = new("--admin-key") { Description = "The admin key (default HUB_API_KEY; generated and printed when neither is set)." };

    public HubCommand()
        : base("hub", "Run the development Hub (SQLite, the Hub API and a page for people).")
    {
        _port.Validators.Add(result =>
        {
            var port = result.GetValueOrDefault<int>();
            if (port is < 0 or > 65535)
            {
                result.AddError($"--port must be from 0 to 65535, not {port}");
            }
        });
        Options.Add(_db);
        Options.Add(_port);
        Options.Add(_host);
        Options.Add(_agents);
        Options.Add(_adminKey);
        SetAction((parseResult, cancellationToken) => CliContext.RunAsync(parseResult, null, RunAsync, cancellationToken));
    }

    private async Task<int> RunAsync(CliContext context, CancellationToken cancellationToken)
    {
        var parse = context.ParseResult;
        var agents = parse.GetValue(_agents)?.FullName;
        if (agents is not null && !Directory.Exists(agents))
        {
            await context.Error.WriteLineAsync($"--agents: folder '{agents}' does not exist");
            return ExitCodes.UsageError;
        }

        // Without --agents, AGENT_DEFINITIONS_PATH is used when that folder exists (its default usually does not here).
        agents ??= context.Settings.Get(SettingNames.AgentDefinitionsPath) is { } fromSettings && Directory.Exists(fromSettings) ? fromSettings : null;

        var options = new DevHubOptions
        {
            DatabasePath = parse.GetValue(_db)!.FullName,
            Port = parse.GetValue(_port),
            Host = parse.GetValue(_host)!,
            AgentsDirectory = agents,
            AdminKey = parse.GetValue(_adminKey) ?? context.Settings.HubApiKey,
            Idempotency = !string.Equals(context.Settings.Environment.GetValueOrDefault("DEVHUB_IDEMPOTENCY"), "off", StringComparison.OrdinalIgnoreCase),
        };

        DevHubServer server;
        try
        {
            // The host would log a failed bind with its stack trace; the one line below says it instead.
            server = await DevHubServer.StartAsync(
                options,
                logging => logging.AddBotburrowLogging(context.Settings).AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical),
                cancellationToken);
        }
        catch (IOException ex)
        {
            await context.Error.WriteLineAsync($"hub: cannot listen on {options.Host}:{options.Port}: {ex.Message}");
            return ExitCodes.Failure;
        }

        await using (server)
        {
            await context.Out.WriteLineAsync($"Dev Hub listening on {server.Url}");
            await context.Out.WriteLineAsync($"Database: {options.DatabasePath}");
            if (server.AdminKeyGenerated)
            {
                await context.Out.WriteLineAsync($"Admin key (generated): {server.AdminKey}");
            }

            await context.Out.FlushAsync(cancellationToken);

            // SIGTERM and SIGINT reach the Hub's host, which stops; this returns then, and the process exits 0.
            await server.WaitForShutdownAsync(cancellationToken);
        }

        return ExitCodes.Ok;
    }
}
