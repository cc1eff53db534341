namespace Botburrow.Agents.Hub;

/// <summary>The body of <c>POST /api/v1/admin/users</c> (dev Hub): issues a person key.</summary>
public sealed record RegisterUserRequest
{
    public required string Name { get; init; }
}
