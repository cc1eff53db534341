using Botburrow.Agents.DevHub;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Botburrow.Agents.Hub.Tests;

/// <summary>A dev Hub on a free loopback port with its own database and two agents (alpha, beta) from a definitions folder.</summary>
internal sealed class TestHub : IAsyncDisposable
{
    public const string AdminKey = "test-admin-key";

    private readonly List<HttpClient> _clients = [];

    private TestHub(DevHubServer server, string directory)
    {
        Server = server;
        Directory = directory;
        Client = CreateClient(AdminKey);
    }

    public DevHubServer Server { get; }

    /// <summary>Log events of the Hub, to wait on (e.g. <c>hub_poll_waiting</c>).</summary>
    public EventSignals Events { get; private init; } = new();

    public string Directory { get; }

    public string DatabasePath => Path.Combine(Directory, "hub.db");

    public Uri Url => Server.Url;

    /// <summary>A client with the admin key.</summary>
    public HubClient Client { get; }

    public static async Task<TestHub> StartAsync(TimeProvider? timeProvider = null, Action<DevHubOptions>? configure = null)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("botburrow-hub-test-").FullName;
        WriteAgent(directory, "alpha", "display_name: Alpha Agent");
        WriteAgent(directory, "beta", "display_name: \"Beta\"");
        var options = new DevHubOptions
        {
            DatabasePath = Path.Combine(directory, "hub.db"),
            AdminKey = AdminKey,
            AgentsDirectory = directory,
            TimeProvider = timeProvider,
        };
        configure?.Invoke(options);
        var events = new EventSignals();
        var server = await DevHubServer.StartAsync(options, logging =>
        {
            logging.SetMinimumLevel(LogLevel.Debug);
            logging.AddProvider(events);
        });
        return new TestHub(server, directory) { Events = events };
    }

    public static void WriteAgent(string directory, string name, string extra)
    {
        var folder = Path.Combine(directory, "agents", name);
        System.IO.Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "config.yaml"), $"# agent {name}\nname: {name}\n{extra}\ntype: native\n");
    }

    public HubClient CreateClient(string? apiKey, Action<HubClientOptions>? configure = null)
    {
        var options = new HubClientOptions { BaseUrl = Url, ApiKey = apiKey, RetryBaseDelay = TimeSpan.FromMilliseconds(10) };
        configure?.Invoke(options);
        return HubClient.Create(options);
    }

    public HttpClient CreateHttp(string? apiKey = AdminKey)
    {
        var http = new HttpClient { BaseAddress = Url };
        if (apiKey is not null)
        {
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", apiKey);
        }

        _clients.Add(http);
        return http;
    }

    /// <summary>Counts rows straight from the database file.</summary>
    public long Count(string table, string where = "1 = 1")
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=false");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {table} WHERE {where}";
        return (long)command.ExecuteScalar()!;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }


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
