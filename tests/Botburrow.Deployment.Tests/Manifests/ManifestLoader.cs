using Botburrow.Agents.Testing;
using Botburrow.Deployment.Tests.Model;
using k8s;

namespace Botburrow.Deployment.Tests.Manifests;

/// <summary>Loads the YAML under <c>k8s/</c> into typed objects with the KubernetesClient loader (strict: unknown fields fail).</summary>
internal static class ManifestLoader
{
    public static string K8sRoot => Path.Combine(RepositoryPaths.RepositoryRoot, "k8s");

    public static string OverlayDirectory => Path.Combine(K8sRoot, "apexalgo-iad");

    public static string KedaComponentDirectory => Path.Combine(K8sRoot, "components", "keda");

    public static string BaseDirectory => Path.Combine(K8sRoot, "base");

    public static string SecretTemplatePath => Path.Combine(BaseDirectory, "secret.template.yaml");

    /// <summary>Every YAML file under <c>k8s/</c>, as paths relative to the repository root with '/' separators.</summary>
    public static IReadOnlyList<string> AllYamlFiles()
        => [.. Directory.EnumerateFiles(K8sRoot, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)];

    public static IReadOnlyList<LoadedObject> Load(string path)
    {
        var typeMap = new Dictionary<string, Type>
        {
            [ScaledObject.TypeKey] = typeof(ScaledObject),
            [ServiceMonitor.TypeKey] = typeof(ServiceMonitor),
            [Kustomization.KustomizationTypeKey] = typeof(Kustomization),
            [Kustomization.ComponentTypeKey] = typeof(Kustomization),
        };

        var full = Path.GetFullPath(path);
        List<object> objects;
        try
        {
            objects = KubernetesYaml.LoadAllFromString(File.ReadAllText(full), typeMap, strict: true);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidOperationException($"{Relative(full)} does not load into typed Kubernetes objects: {e.Message} {e.InnerException?.Message}", e);
        }

        return [.. objects.Select(o => new LoadedObject(full, o))];
    }

    public static Kustomization LoadKustomization(string directory)
    {
        var path = Path.Combine(directory, "kustomization.yaml");
        var loaded = Load(path);
        return loaded.Count == 1 && loaded[0].Value is Kustomization k
            ? k
            : throw new InvalidOperationException($"{Relative(path)} must hold exactly one Kustomization or Component");
    }

    public static string Relative(string path)
        => Path.GetRelativePath(RepositoryPaths.RepositoryRoot, path).Replace('\\', '/');
}
