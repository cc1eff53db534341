namespace Botburrow.Agents.DevHub.Storage;

/// <summary>The holder of the request's key: the admin, an agent (by id) or a person (by name).</summary>
internal sealed record Caller(CallerKind Kind, string Name)
{
    public static Caller Anonymous { get; } = new(CallerKind.Anonymous, "");

    public static Caller Admin { get; } = new(CallerKind.Admin, "admin");
}
