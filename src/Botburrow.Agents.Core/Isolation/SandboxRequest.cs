namespace Botburrow.Agents.Isolation;

/// <summary>One child process to confine: what it runs and which of the runner's folders it may see.</summary>
public sealed record SandboxRequest
{
    /// <summary>The program, as a full path (already looked up on <c>PATH</c>).</summary>
    public required string Program { get; init; }

    /// <summary>Arguments after the program.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>
    /// The activation's workspace: visible read-write at its own path, except its runner-private folder
    /// (<see cref="Work.ActivationWorkspace.PrivateFolder"/>), which stays hidden.
    /// </summary>
    public required string Workspace { get; init; }

    /// <summary>The child's working directory (inside <see cref="Workspace"/>).</summary>
    public required string WorkingDirectory { get; init; }

    /// <summary>Folders shared by activations the child may write (the npm cache, a tool's package cache).</summary>
    public IReadOnlyList<string> SharedWritable { get; init; } = [];

    /// <summary>
    /// More files or folders the child must read (the command lines of the MCP servers a tool starts); each is
    /// widened to its install folder like the program itself.
    /// </summary>
    public IReadOnlyList<string> ReadOnly { get; init; } = [];
}
