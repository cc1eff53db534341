using Botburrow.Agents.Work;

namespace Botburrow.Agents.Redis;

/// <summary><see cref="ITranscriptStore"/> on Redis: <c>transcript:{activation_id}</c>, a JSON string with a TTL.</summary>
public sealed class RedisTranscriptStore : ITranscriptStore
{
    private readonly RedisConnection _connection;
    private readonly RedisKeys _keys;

    public RedisTranscriptStore(RedisConnection connection, RedisKeys keys)
    {
        _connection = connection;
        _keys = keys;
    }

    public Task SaveAsync(ActivationTranscript transcript, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        var json = transcript.ToJson();
        return _connection.ExecuteAsync("save transcript", db => db.StringSetAsync(_keys.Transcript(transcript.ActivationId), json, ttl), cancellationToken);
    }

    public async Task<ActivationTranscript?> GetAsync(string activationId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(activationId);
        var value = await _connection.ExecuteAsync("read transcript", db => db.StringGetAsync(_keys.Transcript(activationId)), cancellationToken);
        return value.IsNull ? null : ActivationTranscript.FromJson(value.ToString());
    }
}
