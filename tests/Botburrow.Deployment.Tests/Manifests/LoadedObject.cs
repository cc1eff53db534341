using k8s;
using k8s.Models;

namespace Botburrow.Deployment.Tests.Manifests;

/// <summary>One object from a manifest file.</summary>
internal sealed record LoadedObject(string SourcePath, object Value)
{
    public string Kind => Value is IKubernetesObject o ? o.Kind : Value.GetType().Name;

    public string? Name => (Value as IMetadata<V1ObjectMeta>)?.Metadata?.Name;

    public string? Namespace => (Value as IMetadata<V1ObjectMeta>)?.Metadata?.NamespaceProperty;

    public string Source => ManifestLoader.Relative(SourcePath);

    public override string ToString() => $"{Kind}/{Name} ({Source})";
}
