namespace Botburrow.Agents.Definitions.Sources;

/// <summary>What a path names, without following a final symbolic link.</summary>
internal enum FileKind
{
    Missing,
    Regular,
    Directory,
    SymbolicLink,
    NamedPipe,
    CharacterDevice,
    BlockDevice,
    Socket,
    Unknown,
}
