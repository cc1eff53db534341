using Botburrow.Agents.Mcp.TestServer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// A small MCP server for tests: tools that echo environment variables, add, and wait; '--crash-at-start' makes it
// fail before it speaks the protocol, as a server with a bad configuration would.
if (args.Contains("--crash-at-start"))
{
    await Console.Error.WriteLineAsync("test server: refusing to start (--crash-at-start)");
    return 3;
}

var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { Args = args });
builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddMcpServer(o => o.ServerInfo = new() { Name = "botburrow-test-server", Version = "1.0.0" })
    .WithStdioServerTransport()
    .WithTools<TestTools>();
await Console.Error.WriteLineAsync("test server: started");
await builder.Build().RunAsync();
return 0;
