namespace Botburrow.Agents.Isolation;

/// <summary>How to start a child: <c>bwrap … -- PROGRAM ARGS</c> when <see cref="Confined"/>, else the command as given.</summary>
/// <param name="Program">The program to start.</param>
/// <param name="Arguments">Its arguments.</param>
/// <param name="Confined">True when the child runs inside the sandbox.</param>
public sealed record SandboxedCommand(string Program, IReadOnlyList<string> Arguments, bool Confined);
