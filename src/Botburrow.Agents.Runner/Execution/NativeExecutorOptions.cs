namespace Botburrow.Agents.Runner.Execution;

/// <summary>How the native executor talks to models.</summary>
public sealed record NativeExecutorOptions
{
    /// <summary>The loop cap when the agent sets no <c>behavior.max_iterations</c> (<c>MAX_ITERATIONS</c>). <value>10.</value></summary>
    public int DefaultMaxIterations { get; init; } = 10;

    /// <summary>Stream model responses (server-sent events) instead of waiting for whole responses. <value>true.</value></summary>
    public bool Streaming { get; init; } = true;
}
