using k8s.Models;

namespace Botburrow.Deployment.Tests.Manifests;

/// <summary>A Deployment or StatefulSet, seen through what the cross-reference checks need.</summary>
internal sealed record Workload(string Kind, string Name, int Replicas, V1LabelSelector Selector, V1PodTemplateSpec Template, IReadOnlyList<string> ClaimTemplateNames)
{
    public IDictionary<string, string> PodLabels => Template.Metadata?.Labels ?? new Dictionary<string, string>();

    public V1PodSpec PodSpec => Template.Spec;

    public IEnumerable<V1Container> AllContainers => (PodSpec.InitContainers ?? []).Concat(PodSpec.Containers ?? []);

    /// <summary>Containers running the botburrow image (coordinator or runner).</summary>
    public IEnumerable<V1Container> BotburrowContainers => AllContainers.Where(c => ImageReference.Split(c.Image).Name.StartsWith(Images.Repository, StringComparison.Ordinal));

    public IEnumerable<V1Container> GitSyncContainers => AllContainers.Where(c => ImageReference.Split(c.Image).Name == Images.GitSync);

    public static Workload? From(LoadedObject item) => item.Value switch
    {
        V1Deployment d => new Workload("Deployment", d.Metadata.Name, d.Spec.Replicas ?? 1, d.Spec.Selector, d.Spec.Template, []),
        V1StatefulSet s => new Workload("StatefulSet", s.Metadata.Name, s.Spec.Replicas ?? 1, s.Spec.Selector, s.Spec.Template, [.. (s.Spec.VolumeClaimTemplates ?? []).Select(t => t.Metadata.Name)]),
        _ => null,
    };

    public override string ToString() => $"{Kind}/{Name}";
}
