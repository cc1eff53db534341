using System.CommandLine;
using Botburrow.Cli;
using Botburrow.Cli.Commands;

// botburrow: one executable, a verb per role. Each verb lives in Commands/.

// First of all: every verb may hold the fleet's secrets, so no other process of this user may read this one's
// memory or /proc/PID/environ (a failure is reported by `botburrow doctor`).
Botburrow.Agents.Isolation.ProcessHardening.DisableDumping();

var root = new RootCommand("Botburrow Agents: keeps a fleet of AI agents alive inside the Hub.")
{
    CliContext.ConfigFileOption,
    new ConfigCommand(),
    new UpCommand(),
    new CoordinatorCommand(),
    new RunnerCommand(),
    new ActivateCommand(),
    new AgentsCommand(),
    new HubCommand(),
    new QueueCommand(),
    new BackoffCommand(),
    new ActivationsCommand(),
    new DeadCommand(),
    new DoctorCommand(),
    new McpCommand(),
};

var parseResult = root.Parse(args);
if (parseResult.Errors.Count > 0)
{
    foreach (var error in parseResult.Errors)
    {
        Console.Error.WriteLine(error.Message);
    }

    Console.Error.WriteLine("Run 'botburrow --help' for usage.");
    return ExitCodes.UsageError;
}

// Services handle SIGTERM themselves (graceful drain), so the parser must not kill the process after 2 s.
return await parseResult.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
