using System.Collections.Concurrent;
using System.Diagnostics;
using Botburrow.Agents.Configuration;
using Botburrow.Agents.Work;
using Microsoft.Extensions.Logging;

namespace Botburrow.Agents.Isolation;

/// <summary>
/// Turns the command line of a child process (a CLI tool, a stdio MCP server) into a bubblewrap (<c>bwrap</c>)
/// command line that confines it: its own PID, IPC, UTS and cgroup namespaces and a fresh <c>/proc</c> (no process
/// of the runner is visible), a minimal <c>/dev</c>, an empty <c>/tmp</c>, no capabilities, a new session, and a
/// file system of only the system folders (<c>/usr</c>, <c>/bin</c>, <c>/lib*</c>, the few <c>/etc</c> files
/// programs need) and the program's install folders read-only, the activation's workspace read-write at its own
/// path (its runner-private folder covered), and the shared package caches it is given. The definitions, the
/// runner's home, the other workspaces and everything else stay out. The network is not confined. Whether it
/// applies follows <c>SANDBOX</c>: <c>auto</c> confines when a probe run of <c>bwrap</c> works here and otherwise
/// warns once (<c>sandbox_unavailable</c>); <c>required</c> refuses to start an unconfined child; <c>off</c> never
/// confines.
/// </summary>
public sealed partial class ChildSandbox
{
    /// <summary>The bubblewrap program, looked up on <c>PATH</c>.</summary>
    public const string BubblewrapProgram = "bwrap";

    private const string DefaultSearchPath = "/usr/local/bin:/usr/bin:/bin";

    private static readonly string[] SystemFolders = ["/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"];

    /// <summary>The <c>/etc</c> entries programs need: users, name resolution, certificates, the loader, time zones.</summary>
    private static readonly string[] EtcEntries =
    [
        "passwd", "group", "nsswitch.conf", "hosts", "host.conf", "resolv.conf", "gai.conf", "services", "protocols",
        "ssl", "ca-certificates", "ca-certificates.conf", "pki", "crypto-policies", "alternatives",
        "ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "timezone", "zoneinfo", "mime.types",
        "os-release", "debian_version", "lsb-release", "terminfo", "gitconfig",
    ];

    private static readonly ConcurrentDictionary<string, Lazy<string?>> Probes = new(StringComparer.Ordinal);
    private static int _reportedUnavailable;
    private static int _reportedConfined;

    private readonly string _searchPath;
    private readonly string[] _neverExposed;
    private readonly string[] _sealed;
    private readonly ILogger _logger;
    private readonly Lazy<string?> _bubblewrap;

    /// <param name="mode">The <c>SANDBOX</c> setting.</param>
    /// <param name="searchPath">The <c>PATH</c> children get: where <c>bwrap</c> is looked up, and whose folders are visible read-only.</param>
    /// <param name="neverExposed">Folders never mounted, nor any folder holding them (the runner's home).</param>
    /// <param name="sealedFolders">Folders never mounted, nor anything in them (definitions, the workspace root); a program file in one is mounted alone.</param>
    /// <param name="logger">Where <c>sandbox_unavailable</c> and <c>sandbox_confining</c> go (once per process).</param>
    /// <param name="bubblewrap">The <c>bwrap</c> program to use; default: looked up on <paramref name="searchPath"/>.</param>
    public ChildSandbox(SandboxMode mode, string? searchPath, IEnumerable<string> neverExposed, IEnumerable<string> sealedFolders, ILogger logger, string? bubblewrap = null)
    {
        ArgumentNullException.ThrowIfNull(neverExposed);
        ArgumentNullException.ThrowIfNull(sealedFolders);
        ArgumentNullException.ThrowIfNull(logger);
        Mode = mode;
        _searchPath = string.IsNullOrEmpty(searchPath) ? DefaultSearchPath : searchPath;
        _logger = logger;
        _sealed = [.. sealedFolders.Where(p => !string.IsNullOrEmpty(p)).SelectMany(Both).Distinct(StringComparer.Ordinal)];
        _neverExposed = [.. neverExposed.Where(p => !string.IsNullOrEmpty(p)).SelectMany(Both).Concat(_sealed).Distinct(StringComparer.Ordinal)];
        _bubblewrap = new(() => bubblewrap ?? Find(BubblewrapProgram, _searchPath) ?? Find(BubblewrapProgram, DefaultSearchPath));
    }

    /// <summary>The <c>SANDBOX</c> setting in force.</summary>
    public SandboxMode Mode { get; }

    /// <summary>
    /// The sandbox of a runner with <paramref name="settings"/>: <c>SANDBOX</c>, its <c>PATH</c>, its <c>HOME</c> never
    /// exposed, and its definitions, definitions cache and workspace root sealed.
    /// </summary>
    public static ChildSandbox FromSettings(BotburrowSettings settings, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(settings);
        string? Env(string name) => settings.Environment.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value) ? value : null;
        return new ChildSandbox(
            settings.Sandbox,
            Env("PATH"),
            [Env("HOME") ?? "", Path.GetDirectoryName(settings.AgentPermissionsPath ?? "") ?? ""],
            [settings.AgentDefinitionsPath, settings.AgentDefinitionsCacheDir, settings.WorkspaceRoot],
            logger);
    }

    /// <summary>Why children cannot be confined here (no <c>bwrap</c>, or its probe run failed), or <see langword="null"/> when they can.</summary>
    public string? Unavailable()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "confinement needs Linux";
        }

        if (_bubblewrap.Value is not { } bubblewrap)
        {
            return $"'{BubblewrapProgram}' (package bubblewrap) not found on PATH";
        }

        return Probes.GetOrAdd(bubblewrap, path => new Lazy<string?>(() => Probe(path))).Value;
    }

    /// <summary>Whether children are confined here, and why: one line for <c>botburrow doctor</c>.</summary>
    public (bool Confined, string Why) Describe()
    {
        var setting = $"{SettingNames.Sandbox}={Mode.ToString().ToLowerInvariant()}";
        if (Mode == SandboxMode.Off)
        {
            return (false, $"{setting}: CLI tools and stdio MCP servers run unconfined, as the runner's user");
        }

        return Unavailable() is { } reason
            ? (false, Mode == SandboxMode.Required
                ? $"{setting}, but {reason}: every CLI or MCP-server activation fails"
                : $"{setting}, but {reason}: CLI tools and stdio MCP servers run unconfined")
            : (true, $"{setting}: CLI tools and stdio MCP servers run confined by {_bubblewrap.Value}");
    }

    /// <summary>
    /// The command that starts <paramref name="request"/>'s program: inside the sandbox when it applies, else as it
    /// is. Throws <see cref="SandboxUnavailableException"/> under <c>SANDBOX=required</c> when this host cannot confine it.
    /// </summary>
    public SandboxedCommand Wrap(SandboxRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var plain = new SandboxedCommand(request.Program, request.Arguments, Confined: false);
        if (Mode == SandboxMode.Off)
        {
            return plain;
        }

        if (Unavailable() is { } reason)
        {
            if (Mode == SandboxMode.Required)
            {
                throw new SandboxUnavailableException($"{SettingNames.Sandbox}=required, but this host cannot confine child processes: {reason}");
            }

            if (Interlocked.Exchange(ref _reportedUnavailable, 1) == 0)
            {
                LogUnavailable(_logger, reason);
            }

            return plain;
        }

        var bubblewrap = _bubblewrap.Value!; // Unavailable() returned null, so bwrap was found
        var program = Path.IsPathFullyQualified(request.Program) ? request.Program : Find(request.Program, _searchPath) ?? request.Program;
        var arguments = BaseArguments();
        arguments.AddRange(Mounts(request, program));
        arguments.AddRange(["--chdir", request.WorkingDirectory, "--", program, .. request.Arguments]);
        if (Interlocked.Exchange(ref _reportedConfined, 1) == 0)
        {
            LogConfining(_logger, bubblewrap);
        }

        return new SandboxedCommand(bubblewrap, arguments, Confined: true);
    }

    /// <summary>Namespaces, /proc, /dev, the system folders, the needed /etc files and an empty /tmp.</summary>
    private static List<string> BaseArguments()
    {
        List<string> arguments =
        [
            "--die-with-parent", "--new-session", "--cap-drop", "ALL",
            "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
            "--proc", "/proc", "--dev", "/dev",
        ];
        foreach (var folder in SystemFolders)
        {
            var info = new DirectoryInfo(folder);
            if (info.LinkTarget is { } target)
            {
                arguments.AddRange(["--symlink", target, folder]);
            }
            else if (info.Exists)
            {
                arguments.AddRange(["--ro-bind", folder, folder]);
            }
        }

        foreach (var entry in EtcEntries)
        {
            var path = "/etc/" + entry;
            if (Path.Exists(path))
            {
                arguments.AddRange(["--ro-bind-try", path, path]);
            }
        }

        arguments.AddRange(["--tmpfs", "/tmp"]);
        return arguments;
    }

    /// <summary>The install folders read-only, the shared caches and the workspace read-write, the private folder covered; parents first.</summary>
    private List<string> Mounts(SandboxRequest request, string program)
    {
        var workspace = Path.GetFullPath(request.Workspace);
        var mounts = new Dictionary<string, string>(StringComparer.Ordinal);
        var readOnly = new List<string> { program };
        readOnly.AddRange(request.Arguments);
        readOnly.AddRange(request.ReadOnly);
        readOnly.RemoveAll(p => !Path.IsPathFullyQualified(p) || !Path.Exists(p));
        readOnly.AddRange(_searchPath.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Where(p => Path.IsPathFullyQualified(p) && Directory.Exists(p)));
        foreach (var path in readOnly.SelectMany(InstallFolders))
        {
            if (!IsWithin(path, workspace) && !IsSystem(path))
            {
                mounts.TryAdd(path, "--ro-bind");
            }
        }

        foreach (var cache in request.SharedWritable.Where(Path.IsPathFullyQualified).Select(Path.GetFullPath))
        {
            if (Allowed(cache) && !IsSystem(cache))
            {
                Directory.CreateDirectory(cache);
                mounts[cache] = "--bind";
            }
        }

        mounts[workspace] = "--bind";
        var covered = ActivationWorkspace.CreatePrivateDirectory(Path.Combine(workspace, ActivationWorkspace.PrivateFolder));
        mounts[covered] = "--tmpfs";

        // A folder already visible through a read-only parent needs no mount of its own.
        var arguments = new List<string>();
        var ordered = mounts.OrderBy(m => m.Key.Count(c => c == '/')).ThenBy(m => m.Key, StringComparer.Ordinal).ToList();
        foreach (var (path, kind) in ordered)
        {
            if (kind == "--ro-bind" && ordered.Any(o => o.Value == "--ro-bind" && o.Key != path && IsWithin(path, o.Key)))
            {
                continue;
            }

            arguments.AddRange(kind == "--tmpfs" ? [kind, path] : [kind, path, path]);
        }

        return arguments;
    }

    /// <summary>
    /// The folders that make <paramref name="path"/> work: the whole package tree of a <c>node_modules</c>, the prefix
    /// of a <c>bin</c> folder (a virtual environment, <c>/opt/tool</c>), else its folder; for the path as given and as
    /// its links resolve. A folder that would expose a protected one narrows to the path's own folder, then to the file.
    /// </summary>
    private IEnumerable<string> InstallFolders(string path)
    {
        var full = Path.GetFullPath(path);
        foreach (var candidate in new[] { full, RealPath(full) }.Distinct(StringComparer.Ordinal))
        {
            var folder = Directory.Exists(candidate) ? candidate : Path.GetDirectoryName(candidate);
            if (folder is null)
            {
                continue;
            }

            var widened = Widen(folder);
            if (Allowed(widened))
            {
                yield return widened;
            }
            else if (Allowed(folder))
            {
                yield return folder;
            }
            else if (File.Exists(candidate) && !_neverExposed.Contains(candidate, StringComparer.Ordinal))
            {
                yield return candidate;
            }
        }
    }

    private static string Widen(string folder)
    {
        var parts = folder.Split('/');
        var modules = Array.IndexOf(parts, "node_modules");
        if (modules > 1)
        {
            return string.Join('/', parts[..modules]);
        }

        return Path.GetFileName(folder) == "bin" && Path.GetDirectoryName(folder) is { Length: > 1 } prefix ? prefix : folder;
    }

    /// <summary>True when <paramref name="folder"/> may be mounted: not the root, not holding a protected folder, not in a sealed one.</summary>
    private bool Allowed(string folder)
        => folder != "/"
            && !_neverExposed.Any(p => IsWithin(p, folder))
            && !_sealed.Any(s => IsWithin(folder, s));

    private static bool IsSystem(string path) => SystemFolders.Any(s => IsWithin(path, s)) || IsWithin(path, "/proc") || IsWithin(path, "/dev");

    /// <summary>True when <paramref name="path"/> is <paramref name="folder"/> or inside it.</summary>
    private static bool IsWithin(string path, string folder)
        => path == folder || path.StartsWith(folder.TrimEnd('/') + "/", StringComparison.Ordinal);

    /// <summary>The path as given (made absolute) and with its links resolved.</summary>
    private static IEnumerable<string> Both(string path)
    {
        var full = Path.GetFullPath(path);
        return full == "/" ? [] : new[] { full, RealPath(full) }.Distinct(StringComparer.Ordinal);
    }

    /// <summary><paramref name="path"/> with every symbolic link along it resolved (as far as they exist).</summary>
    internal static string RealPath(string path)
    {
        var current = "/";
        var remaining = new Queue<string>(Path.GetFullPath(path).Split('/', StringSplitOptions.RemoveEmptyEntries));
        var links = 0;
        while (remaining.TryDequeue(out var part))
        {
            var next = Path.Combine(current, part);
            string? target;
            try
            {
                target = new FileInfo(next).LinkTarget;
            }
            catch (IOException)
            {
                target = null;
            }

            if (target is null || ++links > 40)
            {
                current = next;
                continue;
            }

            var resolved = Path.GetFullPath(target, current);
            remaining = new Queue<string>(resolved.Split('/', StringSplitOptions.RemoveEmptyEntries).Concat(remaining));
            current = "/";
        }

        return current;
    }

    /// <summary>Runs <c>true</c> in a sandbox of the base arguments; the reason it failed, or <see langword="null"/>.</summary>
    private string? Probe(string bubblewrap)
    {
        var program = Find("true", _searchPath) ?? Find("true", DefaultSearchPath);
        if (program is null)
        {
            return "no 'true' program to probe bwrap with";
        }

        var start = new ProcessStartInfo(bubblewrap)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var argument in BaseArguments())
        {
            start.ArgumentList.Add(argument);
        }

        start.ArgumentList.Add("--");
        start.ArgumentList.Add(program);
        start.Environment.Clear();
        try
        {
            using var process = Process.Start(start);
            if (process is null)
            {
                return $"{bubblewrap} could not be started";
            }

            process.StandardInput.Close();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(10_000))
            {
                process.Kill(entireProcessTree: true);
                return $"{bubblewrap} did not finish a probe run within 10 s";
            }

            var message = error.Wait(1_000) ? error.Result.Trim() : "";
            return process.ExitCode == 0 ? null
                : $"{bubblewrap} failed a probe run (exit code {process.ExitCode}: {(message.Length > 0 ? message.ReplaceLineEndings(" ") : "no message")}); the host or its seccomp/AppArmor profile may forbid user namespaces";
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return $"{bubblewrap} could not be started: {ex.Message}";
        }
    }

    private static string? Find(string program, string searchPath)
    {
        foreach (var folder in searchPath.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(folder, program);
            if (Path.IsPathFullyQualified(candidate) && File.Exists(candidate)
                && (OperatingSystem.IsWindows() || (File.GetUnixFileMode(candidate) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0))
            {
                return candidate;
            }
        }

        return null;
    }

    [LoggerMessage(EventName = "sandbox_unavailable", Level = LogLevel.Warning, Message = "Child processes run unconfined (SANDBOX=auto): {Reason}. Install bubblewrap and allow unprivileged user namespaces, or set SANDBOX=required to refuse to run without it")]
    private static partial void LogUnavailable(ILogger logger, string reason);

    [LoggerMessage(EventName = "sandbox_confining", Level = LogLevel.Information, Message = "CLI tools and stdio MCP servers run confined by {Bubblewrap}")]
    private static partial void LogConfining(ILogger logger, string bubblewrap);
}
