using Botburrow.Agents.Definitions.Validation;

namespace Botburrow.Agents.Definitions.Sources;

/// <summary>
/// Keeps reading inside the definitions folder. A definition path is resolved the way the kernel would resolve it
/// (every symbolic link on every component followed, a linked parent folder included) before anything is opened;
/// a path that ends outside the folder, or at anything but a regular file (a named pipe, a device, a socket), is
/// refused with a problem at line 1, column 1. Links that stay inside the folder are followed, and the folder
/// itself may be a link (git-sync's <c>current</c>).
/// </summary>
internal static class DefinitionPath
{
    /// <summary>The most links followed while resolving one path, as Linux allows (<c>MAXSYMLINKS</c>).</summary>
    private const int MaxLinks = 40;

    /// <summary>
    /// Resolves <paramref name="path"/> (inside <paramref name="root"/>) for reading. The result holds the resolved
    /// path of a regular file, or a problem, or neither when nothing is there (an optional file may be missing).
    /// </summary>
    public static FileCheck CheckFile(string root, string path)
    {
        string realRoot;
        string? real;
        bool missing;
        try
        {
            realRoot = Resolve(Path.GetFullPath(root), out _) ?? Path.GetFullPath(root);
            real = Resolve(Path.GetFullPath(path), out missing);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return FileCheck.Refused(Problem(path, "cannot be resolved: " + ex.Message));
        }

        if (real is null)
        {
            return FileCheck.Refused(Problem(path, $"has more than {MaxLinks} symbolic links to follow (a loop?); it is not read"));
        }

        if (!IsInside(realRoot, real))
        {
            return FileCheck.Refused(Problem(path, $"resolves outside the definitions folder (to {real}); symbolic links may point only inside {realRoot}, so it is not read"));
        }

        if (missing)
        {
            return FileCheck.Missing;
        }

        var kind = FileKinds.Of(real);
        return kind switch
        {
            FileKind.Regular => FileCheck.Found(real),
            FileKind.Missing => FileCheck.Missing,
            _ => FileCheck.Refused(Problem(path, $"is not a regular file ({FileKinds.Describe(kind)}); it is not read")),
        };
    }

    private static DefinitionProblem Problem(string path, string message)
        => new() { File = path, Line = 1, Column = 1, Field = "", Message = message };

    private static bool IsInside(string root, string path)
    {
        var trimmed = Path.TrimEndingDirectorySeparator(root);
        return path.Length > trimmed.Length
            && path.StartsWith(trimmed, StringComparison.Ordinal)
            && (path[trimmed.Length] == Path.DirectorySeparatorChar || trimmed.Length == Path.GetPathRoot(trimmed)?.Length);
    }

    /// <summary>
    /// The path with every link followed, component by component, or <see langword="null"/> after too many links.
    /// When a component does not exist, <paramref name="missing"/> is set and the rest is appended as written.
    /// </summary>
    private static string? Resolve(string path, out bool missing)
    {
        missing = false;
        var top = Path.GetPathRoot(path) ?? "/";
        var pending = new Stack<string>(Parts(path[top.Length..]).Reverse());
        var current = top;
        var links = 0;
        while (pending.TryPop(out var part))
        {
            if (part is "" or ".")
            {
                continue;
            }

            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? current;
                continue;
            }

            var next = Path.Join(current, part);
            if (missing)
            {
                current = next;
                continue;
            }

            if (new FileInfo(next).LinkTarget is { } target)
            {
                if (++links > MaxLinks)
                {
                    return null;
                }

                if (Path.IsPathRooted(target))
                {
                    current = Path.GetPathRoot(target) ?? top;
                    target = target[current.Length..];
                }

                foreach (var step in Parts(target).Reverse())
                {
                    pending.Push(step);
                }

                continue;
            }

            missing = !Directory.Exists(next) && !File.Exists(next);
            current = next;
        }

        return current;
    }

    private static string[] Parts(string path) => path.Split([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar], StringSplitOptions.RemoveEmptyEntries);
}
