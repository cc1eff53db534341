namespace Botburrow.Deployment.Tests.Containers;

/// <summary>One Dockerfile instruction, continuation lines joined.</summary>
internal sealed record DockerInstruction(string Keyword, string Arguments, int Line)
{
    /// <summary>The arguments split on whitespace, with leading <c>--flag=value</c> options removed.</summary>
    public IReadOnlyList<string> Words => Arguments.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);

    public IReadOnlyList<string> Options => [.. Words.TakeWhile(w => w.StartsWith("--", StringComparison.Ordinal))];

    public IReadOnlyList<string> Operands => [.. Words.SkipWhile(w => w.StartsWith("--", StringComparison.Ordinal))];

    public string? Option(string name)
        => Options.Select(o => o[2..].Split('=', 2)).Where(p => p[0] == name).Select(p => p.Length > 1 ? p[1] : "").FirstOrDefault();
}
