using System.Diagnostics;
using Botburrow.Deployment.Tests.Manifests;
using Botburrow.Deployment.Tests.Model;
using k8s;
using k8s.Models;
using Xunit;

namespace Botburrow.Deployment.Tests;

public sealed class KustomizationTests
{
    public static TheoryData<string> KustomizationDirectories()
        => [.. ManifestLoader.AllYamlFiles().Where(f => Path.GetFileName(f) == "kustomization.yaml").Select(f => ManifestLoader.Relative(Path.GetDirectoryName(f)!))];

    [Theory]
    [MemberData(nameof(KustomizationDirectories))]
    public void Kustomizations_ListFilesThatExist(string directory)
    {
        var full = Path.Combine(Agents.Testing.RepositoryPaths.RepositoryRoot, directory);
        var kustomization = ManifestLoader.LoadKustomization(full);
        foreach (var resource in kustomization.Resources)
        {
            var path = Path.GetFullPath(Path.Combine(full, resource));
            Assert.True(File.Exists(path) || File.Exists(Path.Combine(path, "kustomization.yaml")), $"{directory}/kustomization.yaml lists missing resource {resource}");
        }

        foreach (var component in kustomization.Components)
        {
            var path = Path.GetFullPath(Path.Combine(full, component));
            var target = ManifestLoader.LoadKustomization(path);
            Assert.Equal("Component", target.Kind);
        }
    }

    [Fact]
    public void EveryManifestFile_IsPartOfTheOverlay_ExceptTheSecretTemplate()
    {
        // The KEDA component is opt-in: part of the overlay once added to its components.
        var rendered = Fleet.OverlayWithKeda.Objects.Select(o => o.SourcePath).ToHashSet();
        var orphans = ManifestLoader.AllYamlFiles()
            .Where(f => Path.GetFileName(f) != "kustomization.yaml" && f != ManifestLoader.SecretTemplatePath)
            .Where(f => !rendered.Contains(Path.GetFullPath(f)))
            .Select(ManifestLoader.Relative);
        Assert.Empty(orphans);
    }

    [Fact]
    public void Overlay_IncludesConfigMapAndHpa_TheGuideAppliesByPath()
    {
        var overlay = ManifestLoader.LoadKustomization(ManifestLoader.OverlayDirectory);
        Assert.Equal("Kustomization", overlay.Kind);
        Assert.Equal(Fleet.Namespace, overlay.Namespace);
        Assert.Contains("../base", overlay.Resources);
        Assert.Contains("configmap.yaml", overlay.Resources);
        Assert.Contains("hpa.yaml", overlay.Resources);
    }

    [Fact]
    public void ConfigMapYaml_IsAStandaloneManifestOfTheConfigMap()
    {
        var objects = ManifestLoader.Load(Path.Combine(ManifestLoader.OverlayDirectory, "configmap.yaml"));
        var configMap = Assert.Single(objects.Select(o => o.Value).OfType<V1ConfigMap>(), c => c.Metadata.Name == Fleet.ConfigMapName);
        Assert.Equal(Fleet.Namespace, configMap.Metadata.NamespaceProperty);
        Assert.Equal("v1", configMap.ApiVersion);
        Assert.Contains("HUB_URL", configMap.Data.Keys);
    }

    [Fact]
    public void HpaYaml_IsAStandaloneManifestOfRunnerAutoscalers()
    {
        var objects = ManifestLoader.Load(Path.Combine(ManifestLoader.OverlayDirectory, "hpa.yaml"));
        Assert.NotEmpty(objects);
        Assert.All(objects, o =>
        {
            var hpa = Assert.IsType<V2HorizontalPodAutoscaler>(o.Value);
            Assert.Equal("autoscaling/v2", hpa.ApiVersion);
            Assert.Equal(Fleet.Namespace, hpa.Metadata.NamespaceProperty);
            Assert.StartsWith("runner-", hpa.Spec.ScaleTargetRef.Name, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task KubectlKustomize_BuildsTheSameObjects()
    {
        var kubectl = FindOnPath("kubectl");
        if (kubectl is null)
        {
            Assert.Skip("kubectl is not installed; the typed loading above is the check");
        }

        var start = new ProcessStartInfo(kubectl, ["kustomize", ManifestLoader.OverlayDirectory])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.True(process.ExitCode == 0, $"kubectl kustomize failed: {await error}");

        var path = Path.Combine(Path.GetTempPath(), $"botburrow-kustomize-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(path, await output, TestContext.Current.CancellationToken);
        try
        {
            var built = ManifestLoader.Load(path);
            Assert.Equal(Describe(Fleet.Overlay.Objects), Describe(built));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static List<string> Describe(IEnumerable<LoadedObject> objects)
        => [.. objects.Select(o =>
            {
                var images = Workload.From(o) is { } w ? string.Join(",", w.AllContainers.Select(c => c.Image)) : "";
                return $"{o.Kind}/{o.Namespace}/{o.Name} {images}";
            }).Order(StringComparer.Ordinal)];

    private static string? FindOnPath(string name)
        => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, name))
            .FirstOrDefault(File.Exists);
}
