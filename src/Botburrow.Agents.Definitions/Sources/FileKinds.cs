using System.Runtime.InteropServices;

namespace Botburrow.Agents.Definitions.Sources;

/// <summary>
/// Tells regular files from named pipes, devices and sockets, which .NET's file APIs do not: opening a named pipe
/// blocks until a writer comes, and a device can be endless. On Linux this asks the kernel (<c>statx</c>, without
/// following a final link); elsewhere, or where the call is unavailable, it can tell only files, folders and links
/// apart and reports any other file as regular.
/// </summary>
internal static partial class FileKinds
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxType = 0x1;
    private const int StatxSize = 256;
    private const int ModeOffset = 28;
    private const int ENOENT = 2;
    private const int ENOTDIR = 20;

    private static volatile bool s_kernelUnavailable = !OperatingSystem.IsLinux();

    public static FileKind Of(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!s_kernelUnavailable)
        {
            try
            {
                if (FromKernel(path) is { } kind)
                {
                    return kind;
                }
            }
            catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
            {
                s_kernelUnavailable = true;
            }
        }

        return Managed(path);
    }

    /// <summary>A description for messages: "a named pipe (FIFO)".</summary>
    public static string Describe(FileKind kind) => kind switch
    {
        FileKind.Missing => "missing",
        FileKind.Regular => "a regular file",
        FileKind.Directory => "a folder",
        FileKind.SymbolicLink => "a symbolic link",
        FileKind.NamedPipe => "a named pipe (FIFO)",
        FileKind.CharacterDevice => "a character device",
        FileKind.BlockDevice => "a block device",
        FileKind.Socket => "a socket",
        _ => "of an unknown kind",
    };

    private static unsafe FileKind? FromKernel(string path)
    {
        var buffer = stackalloc byte[StatxSize];
        if (Statx(AtFdCwd, path, AtSymlinkNoFollow, StatxType, buffer) != 0)
        {
            var error = Marshal.GetLastPInvokeError();
            return error is ENOENT or ENOTDIR ? FileKind.Missing : null;
        }

        if ((*(uint*)buffer & StatxType) == 0)
        {
            return null;
        }

        var mode = *(ushort*)(buffer + ModeOffset);
        return (mode & 0xF000) switch
        {
            0x8000 => FileKind.Regular,
            0x4000 => FileKind.Directory,
            0xA000 => FileKind.SymbolicLink,
            0x1000 => FileKind.NamedPipe,
            0x2000 => FileKind.CharacterDevice,
            0x6000 => FileKind.BlockDevice,
            0xC000 => FileKind.Socket,
            _ => FileKind.Unknown,
        };
    }

    private static FileKind Managed(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not null)
        {
            return FileKind.SymbolicLink;
        }

        return Directory.Exists(path) ? FileKind.Directory : info.Exists ? FileKind.Regular : FileKind.Missing;
    }

    [LibraryImport("libc.so.6", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int Statx(int directory, string path, int flags, uint mask, byte* buffer);
}
