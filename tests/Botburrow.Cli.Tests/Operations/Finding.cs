namespace Botburrow.Cli.Tests.Operations;

/// <summary>One finding as <c>doctor --json</c> prints it.</summary>
internal sealed record Finding(string Check, string Status, string? Subject, string Seen, string Remedy);
