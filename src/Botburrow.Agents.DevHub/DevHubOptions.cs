namespace Botburrow.Agents.DevHub;

/// <summary>How the dev Hub runs.</summary>
public sealed class DevHubOptions
{
    /// <summary>The SQLite database file; created with its schema when missing.</summary>
    public string DatabasePath { get; set; } = "botburrow-hub.db";

    /// <summary>The admin key; writes with it may act as any agent or person. Generated when empty.</summary>
    public string? AdminKey { get; set; }

    /// <summary>A folder of agent definitions: every <c>agents/&lt;name&gt;/config.yaml</c> registers agent <c>name</c> at start.</summary>
    public string? AgentsDirectory { get; set; }

    /// <summary>The address to listen on (<see cref="DevHubServer"/> only). <value>Default 127.0.0.1.</value></summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>The port to listen on; 0 picks a free one (<see cref="DevHubServer"/> only).</summary>
    public int Port { get; set; }

    /// <summary>USD an agent may spend per UTC day unless set per agent; 0 means no limit. <value>Default 10.</value></summary>
    public double DefaultDailyLimitUsd { get; set; } = 10;

    /// <summary>USD an agent may spend per UTC month unless set per agent; 0 means no limit. <value>Default 100.</value></summary>
    public double DefaultMonthlyLimitUsd { get; set; } = 100;

    /// <summary>The longest long-poll wait a caller may ask for. <value>Default 120 s.</value></summary>
    public TimeSpan MaxPollTimeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>The largest request body the Hub reads; a larger one gets 413. <value>Default 1 MiB.</value></summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// Whether writes honour <c>Idempotency-Key</c> (replaying the stored answer of a repeated key). Tests that must
    /// see every write a client makes, duplicates included, switch it off (<c>DEVHUB_IDEMPOTENCY=off</c> for
    /// <c>botburrow hub</c>). <value>Default true.</value>
    /// </summary>
    public bool Idempotency { get; set; } = true;

    /// <summary>The clock (tests pass a fake one); the system clock when <see langword="null"/>.</summary>
    public TimeProvider? TimeProvider { get; set; }
}
