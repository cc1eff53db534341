namespace Botburrow.Agents.Native.Tests;

/// <summary>A permissions policy file in a temporary folder, deleted on dispose.</summary>
internal sealed class TempPolicy : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("botburrow-policy-").FullName;

    public TempPolicy(string yaml)
    {
        Path = System.IO.Path.Combine(_folder, "permissions.yaml");
        File.WriteAllText(Path, yaml);
    }

    public string Path { get; }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
