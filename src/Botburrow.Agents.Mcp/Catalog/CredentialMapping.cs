namespace Botburrow.Agents.Mcp.Catalog;

/// <summary>One credential a built-in server receives: <see cref="Target"/> in its environment ← <see cref="Setting"/> of the runner's.</summary>
public sealed record CredentialMapping(string Setting, string Target, bool Optional = false);
