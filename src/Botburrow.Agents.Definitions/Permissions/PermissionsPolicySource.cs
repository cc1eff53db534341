using Botburrow.Agents.Grants;

namespace Botburrow.Agents.Definitions.Permissions;

/// <summary>
/// The permissions policy at <c>AGENT_PERMISSIONS_PATH</c>, read again whenever the file changes (a mounted
/// ConfigMap is updated in place). Without a path every agent keeps its declared grants.
/// </summary>
public sealed class PermissionsPolicySource
{
    private readonly string? _path;
    private readonly Lock _gate = new();
    private (DateTime WrittenAt, long Length, PermissionsPolicy Policy)? _cached;

    public PermissionsPolicySource(string? path)
    {
        _path = string.IsNullOrWhiteSpace(path) ? null : System.IO.Path.GetFullPath(path);
    }

    /// <summary>The file, or <see langword="null"/> when no policy is configured.</summary>
    public string? Path => _path;

    /// <summary>The current policy; a missing or malformed file throws <see cref="PermissionsPolicyException"/>.</summary>
    public PermissionsPolicy Current()
    {
        if (_path is null)
        {
            return PermissionsPolicy.None;
        }

        var info = new FileInfo(_path);
        if (!info.Exists)
        {
            throw new PermissionsPolicyException($"Permissions policy not found: {_path} (AGENT_PERMISSIONS_PATH)");
        }

        lock (_gate)
        {
            if (_cached is { } cached && cached.WrittenAt == info.LastWriteTimeUtc && cached.Length == info.Length)
            {
                return cached.Policy;
            }

            var policy = PermissionsPolicyLoader.Load(_path);
            _cached = (info.LastWriteTimeUtc, info.Length, policy);
            return policy;
        }
    }

    /// <summary>The effective grants of an agent under the current policy.</summary>
    public EffectiveGrants Evaluate(string agent, IReadOnlyList<string> declared) => EffectiveGrants.Evaluate(agent, declared, Current());
}
