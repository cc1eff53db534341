namespace Botburrow.Agents.Work;

/// <summary>
/// The folder of one activation (<c>&lt;root&gt;/&lt;agent&gt;-&lt;activation&gt;</c>): created, readable by its owner only,
/// on first use, and removed with everything in it when the activation ends. CLI executors run in it (it is their
/// working directory and home); stdio MCP servers start in it; the filesystem server is confined to it. Layout:
/// <c>work</c> (a CLI tool's working folder), <c>.home</c> (HOME of tools and stdio MCP servers), <c>.tmp</c>
/// (TMPDIR), <c>.botburrow</c> (tool configuration written by the runner) and <c>.runner</c> (the runner's
/// private files). A sandboxed child (<c>SANDBOX</c>) sees the workspace read-write at the same path, except
/// <c>.runner</c>, and nothing else of the runner's files.
/// </summary>
public sealed class ActivationWorkspace : IDisposable
{
    private readonly Lock _lock = new();
    private bool _created;
    private bool _disposed;

    public ActivationWorkspace(string root, string agentName, string activationId)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        ArgumentException.ThrowIfNullOrEmpty(agentName);
        ArgumentException.ThrowIfNullOrEmpty(activationId);
        Root = Path.GetFullPath(root);
        DirectoryPath = System.IO.Path.Combine(Root, $"{Sanitize(agentName)}-{Sanitize(activationId)}");
    }

    /// <summary>Where workspaces are made when <c>WORKSPACE_ROOT</c> is unset: <c>&lt;temp&gt;/botburrow-workspaces</c>.</summary>
    public static string DefaultRoot => System.IO.Path.Combine(System.IO.Path.GetTempPath(), "botburrow-workspaces");

    public string Root { get; }

    /// <summary>The folder's path (it exists only after <see cref="Create"/>).</summary>
    public string DirectoryPath { get; }

    /// <summary>The folder, inside a workspace, a CLI tool works in (and the filesystem server's root for it).</summary>
    public const string WorkFolder = "work";

    /// <summary>
    /// The folder, inside a workspace, where the runner writes what a CLI tool reads but its file tools should not
    /// (tool configuration): beside the tool's working folder, not in it. A sandboxed child sees it.
    /// </summary>
    public const string RunnerFolder = ".botburrow";

    /// <summary>The tool's home folder inside a workspace (CLI tools and stdio MCP servers).</summary>
    public const string HomeFolder = ".home";

    /// <summary>The tool's temporary folder inside a workspace (<c>TMPDIR</c>).</summary>
    public const string TempFolder = ".tmp";

    /// <summary>
    /// The runner's private folder inside a workspace: never visible to a sandboxed child (it is covered by an empty
    /// folder there), for files of the activation no tool or MCP server may read.
    /// </summary>
    public const string PrivateFolder = ".runner";

    /// <summary>Creates the folder when it does not exist yet and returns its path.</summary>
    public string Create()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_created)
            {
                Directory.CreateDirectory(Root);
                CreatePrivateDirectory(DirectoryPath);

                _created = true;
            }

            return DirectoryPath;
        }
    }

    /// <summary>A folder inside the workspace (created).</summary>
    public string CreateSubdirectory(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return CreatePrivateDirectory(System.IO.Path.Combine(Create(), name));
    }

    /// <summary>Creates <paramref name="path"/> (when missing) readable, writable and enterable by its owner only; returns it.</summary>
    public static string CreatePrivateDirectory(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return path;
    }

    /// <summary>Removes the folder and everything in it; a file something still holds is left to the OS's temp cleanup.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            if (!_created)
            {
                return;
            }
        }

        try
        {
            MakeRemovable(DirectoryPath);
            Directory.Delete(DirectoryPath, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }

    /// <summary>A tool may leave read-only folders behind (Go's module cache does); give them back their write bit first.</summary>
    private static void MakeRemovable(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        foreach (var sub in Directory.EnumerateDirectories(directory, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint }))
        {
            try
            {
                File.SetUnixFileMode(sub, File.GetUnixFileMode(sub) | UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
            }
        }
    }

    private static string Sanitize(string id) => new([.. id.Select(c => char.IsAsciiLetterOrDigit(c) || c == '-' ? c : '_')]);
}
