using Botburrow.Deployment.Tests.Model;
using k8s;
using k8s.Models;

namespace Botburrow.Deployment.Tests.Manifests;

/// <summary>
/// Builds a kustomization the way <c>kubectl kustomize</c> does for the features our files use:
/// resources (files and directories), components, namespace and image tags.
/// </summary>
internal static class Kustomize
{
    public static IReadOnlyList<LoadedObject> Render(string directory)
    {
        var kustomization = ManifestLoader.LoadKustomization(directory);
        var result = new List<LoadedObject>();
        foreach (var resource in kustomization.Resources)
        {
            var path = Path.GetFullPath(Path.Combine(directory, resource));
            result.AddRange(Directory.Exists(path) ? Render(path) : ManifestLoader.Load(path));
        }

        foreach (var component in kustomization.Components)
        {
            result.AddRange(Render(Path.GetFullPath(Path.Combine(directory, component))));
        }

        if (kustomization.Namespace is { } ns)
        {
            foreach (var item in result)
            {
                if (item.Value is IMetadata<V1ObjectMeta> { Metadata: { } metadata } && item.Kind != "Namespace")
                {
                    metadata.NamespaceProperty = ns;
                }
            }
        }

        foreach (var image in kustomization.Images)
        {
            foreach (var container in result.SelectMany(o => Workload.From(o) is { } w ? w.AllContainers : []))
            {
                var (name, tag) = ImageReference.Split(container.Image);
                if (name == image.Name)
                {
                    container.Image = (image.NewName ?? name) + ":" + (image.NewTag ?? tag);
                }
            }
        }

        return result;
    }
}
