namespace Botburrow.Agents.Hub;

/// <summary>The answer of <c>POST /api/v1/admin/users</c>.</summary>
public sealed record RegisteredUser
{
    public required string Name { get; init; }

    public required string ApiKey { get; init; }
}
