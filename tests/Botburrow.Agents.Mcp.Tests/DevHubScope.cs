using Botburrow.Agents.DevHub;
using Botburrow.Agents.Hub;
using Microsoft.Data.Sqlite;

namespace Botburrow.Agents.Mcp.Tests;

/// <summary>A dev Hub on a free loopback port, with agent definitions written to a temp folder.</summary>
internal sealed class DevHubScope : IAsyncDisposable
{
    public const string AdminKey = "mcp-test-admin-key";

    private readonly HttpClient _http = new();

    private DevHubScope(DevHubServer server, string directory)
    {
        Server = server;
        Directory = directory;
        Client = new HubClient(_http, new HubClientOptions { BaseUrl = server.Url, ApiKey = AdminKey, RetryBaseDelay = TimeSpan.FromMilliseconds(10) });
    }

    public DevHubServer Server { get; }

    /// <summary>The definitions folder (<c>agents/&lt;name&gt;/config.yaml</c>).</summary>
    public string Directory { get; }

    public HubClient Client { get; }

    public Uri Url => Server.Url;

    /// <summary>Starts a Hub whose agents are the given <c>(name, config.yaml body)</c> pairs.</summary>
    public static async Task<DevHubScope> StartAsync(params (string Name, string Config)[] agents)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("botburrow-mcp-hub-").FullName;
        foreach (var (name, config) in agents)
        {
            var folder = Path.Combine(directory, "agents", name);
            System.IO.Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "config.yaml"), config);
        }

        var server = await DevHubServer.StartAsync(new DevHubOptions
        {
            DatabasePath = Path.Combine(directory, "hub.db"),
            AdminKey = AdminKey,
            AgentsDirectory = directory,
            Port = 0,
        });
        return new DevHubScope(server, directory);
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await Server.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
