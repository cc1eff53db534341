namespace Botburrow.Agents.DevHub.Storage;

/// <summary>The holder of the request's key: the admin, an agent (by id) or a person (by name).</summary>
internal sealed record Caller(CallerKind Kind, string Name)
{
    public static Caller Anonymous { get; } = new(CallerKind.Anonymous, "");

    public static Caller Admin { get; } = new(CallerKind.Admin, "admin");

    /// <summary>The key holder as idempotency records name it: <c>admin</c>, <c>agent:NAME</c>, <c>user:NAME</c>.</summary>
    public string Holder => Kind switch
    {
        CallerKind.Admin => "admin",
        CallerKind.Agent => "agent:" + Name,
        CallerKind.User => "user:" + Name,
        _ => "anonymous",
    };

    /// <summary>
    /// The identity a write is made as, which scopes its <c>Idempotency-Key</c>: the agent or person named in the
    /// body (the admin key may write as either), else the key's own holder.
    /// </summary>
    public string WritingAs(string? agentId, string? user) => Kind switch
    {
        CallerKind.Admin when agentId is not null => "agent:" + agentId,
        CallerKind.Admin when user is not null => "user:" + user,
        _ => Holder,
    };
}
