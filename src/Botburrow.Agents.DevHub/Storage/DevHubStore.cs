using System.Security.Cryptography;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Botburrow.Agents.DevHub.Storage;

/// <summary>
/// The dev Hub's SQLite database. Writes are serialised (one at a time, each in a transaction, with its
/// idempotency record in the same transaction); reads run concurrently.
/// </summary>
internal sealed partial class DevHubStore : IDisposable
{
    private readonly DevHubOptions _options;
    private readonly ILogger<DevHubStore> _logger;
    private readonly NotificationSignal _signal;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly Lazy<Task> _initialized;
    private readonly string _connectionString;

    public DevHubStore(IOptions<DevHubOptions> options, TimeProvider timeProvider, NotificationSignal signal, ILogger<DevHubStore> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        TimeProvider = _options.TimeProvider ?? timeProvider;
        _signal = signal;
        _logger = logger;
        var path = Path.GetFullPath(_options.DatabasePath);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, DefaultTimeout = 30 }.ToString();
        _initialized = new Lazy<Task>(InitializeCoreAsync, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public TimeProvider TimeProvider { get; }

    public DevHubOptions Options => _options;

    public Task InitializeAsync() => _initialized.Value;

    public void Dispose() => _writeLock.Dispose();

    /// <summary>Who holds <paramref name="key"/>, or <see langword="null"/> for a key the Hub did not issue.</summary>
    public async Task<Caller?> ResolveKeyAsync(string key, CancellationToken cancellationToken)
    {
        if (_options.AdminKey is { Length: > 0 } admin && CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(admin), System.Text.Encoding.UTF8.GetBytes(key)))
        {
            return Caller.Admin;
        }

        await using var connection = await OpenAsync(cancellationToken);
        var agent = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition("SELECT id FROM agents WHERE api_key = @key", new { key }, cancellationToken: cancellationToken));
        if (agent is not null)
        {
            return new Caller(CallerKind.Agent, agent);
        }

        var user = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition("SELECT name FROM users WHERE api_key = @key", new { key }, cancellationToken: cancellationToken));
        return user is null ? null : new Caller(CallerKind.User, user);
    }

    /// <summary>
    /// Runs one write in a transaction. With an idempotency key, the record of (<paramref name="writingAs"/>, key)
    /// decides: none yet, the write runs and its answer is stored; the same route from the same key holder, the
    /// stored answer is returned and nothing is written; another route, 422; another key holder, 409. Another
    /// identity's record with the same key is never seen. A <see cref="HubProblemException"/> rolls back and stores nothing.
    /// </summary>
    public async Task<WriteOutcome> WriteAsync(Caller caller, string writingAs, string? idempotencyKey, string route, Func<SqliteConnection, SqliteTransaction, WriteOutcome> write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var holder = caller.Holder;
        await using var connection = await OpenAsync(cancellationToken);
        await _writeLock.WaitAsync(cancellationToken);
        var notified = false;
        try
        {
            using var transaction = connection.BeginTransaction();
            if (idempotencyKey is not null)
            {
                var stored = connection.QuerySingleOrDefault<Rows.IdempotencyRow>(
                    "SELECT holder, route, status, body FROM idempotency WHERE caller = @writingAs AND key = @idempotencyKey",
                    new { writingAs, idempotencyKey },
                    transaction);
                if (stored is not null)
                {
                    if (stored.Holder != holder)
                    {
                        throw new HubProblemException(409, "Idempotency-Key", $"Idempotency-Key was already used by another caller writing as {writingAs}; use a key of your own");
                    }

                    if (stored.Route != route)
                    {
                        throw new HubProblemException(422, "Idempotency-Key", $"Idempotency-Key was already used for another request ({stored.Route})");
                    }

                    DevHubLog.IdempotentReplay(_logger, route);
                    return new WriteOutcome((int)stored.Status, stored.Body, Replayed: true);
                }
            }

            var before = connection.ExecuteScalar<long>("SELECT COALESCE(MAX(id), 0) FROM notifications", transaction: transaction);
            var outcome = write(connection, transaction);
            notified = connection.ExecuteScalar<long>("SELECT COALESCE(MAX(id), 0) FROM notifications", transaction: transaction) > before;
            if (idempotencyKey is not null)
            {
                connection.Execute(
                    "INSERT INTO idempotency (caller, key, holder, route, status, body, created_at) VALUES (@writingAs, @idempotencyKey, @holder, @route, @Status, @Body, @now)",
                    new { writingAs, idempotencyKey, holder, route, outcome.Status, outcome.Body, now = Now() },
                    transaction);
            }

            transaction.Commit();
            return outcome;
        }
        finally
        {
            _writeLock.Release();
            if (notified)
            {
                _signal.Pulse();
            }
        }
    }

    private string Now() => Timestamps.Write(TimeProvider.GetUtcNow());

    private static string NewKey(string prefix) => prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await _initialized.Value;
        return await OpenRawAsync(cancellationToken);
    }

    private async Task<SqliteConnection> OpenRawAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await connection.ExecuteAsync("PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;");
        return connection;
    }

    private async Task InitializeCoreAsync()
    {
        DefaultTypeMap.MatchNamesWithUnderscores = true;
        var directory = Path.GetDirectoryName(Path.GetFullPath(_options.DatabasePath));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        await using var connection = await OpenRawAsync(CancellationToken.None);
        await connection.ExecuteAsync("PRAGMA journal_mode = WAL;");
        await connection.ExecuteAsync("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
        var current = await connection.ExecuteScalarAsync<long?>("SELECT MAX(version) FROM schema_version") ?? 0;
        foreach (var (version, sql) in Migrations.All)
        {
            if (version <= current)
            {
                continue;
            }

            using var transaction = connection.BeginTransaction();
            await connection.ExecuteAsync(sql, transaction: transaction);
            await connection.ExecuteAsync("INSERT INTO schema_version (version) VALUES (@version)", new { version }, transaction);
            transaction.Commit();
            DevHubLog.MigrationApplied(_logger, version);
        }

        if (_options.AgentsDirectory is { Length: > 0 } agentsDirectory)
        {
            foreach (var (name, displayName) in AgentDirectory.Read(agentsDirectory, _logger))
            {
                using var transaction = connection.BeginTransaction();
                UpsertAgent(connection, transaction, new Hub.RegisterAgentRequest { Name = name, DisplayName = displayName }, onlyIfMissing: true);
                transaction.Commit();
            }
        }
    }
}
