using Botburrow.Deployment.Tests.Manifests;
using Botburrow.Deployment.Tests.Model;
using k8s;
using k8s.Models;
using Xunit;

namespace Botburrow.Deployment.Tests;

public sealed class ManifestLoadingTests
{
    public static TheoryData<string> YamlFiles() => [.. ManifestLoader.AllYamlFiles().Select(ManifestLoader.Relative)];

    [Theory]
    [MemberData(nameof(YamlFiles))]
    public void EveryManifest_LoadsIntoTypedObjects(string file)
    {
        var objects = ManifestLoader.Load(Path.Combine(Agents.Testing.RepositoryPaths.RepositoryRoot, file));

        Assert.NotEmpty(objects);
        foreach (var item in objects)
        {
            Assert.IsType<IKubernetesObject>(item.Value, exactMatch: false);
            Assert.False(item.Value is IDictionary<object, object>, $"{item} was not mapped to a type");
            var kind = ((IKubernetesObject)item.Value).Kind;
            if (item.Value is Kustomization)
            {
                Assert.Equal("kustomization.yaml", Path.GetFileName(file));
                continue;
            }

            Assert.False(string.IsNullOrEmpty(item.Name), $"{item} has no name");
            if (kind != "Namespace")
            {
                // Every object names its namespace, so each file also works with `kubectl apply -f`.
                Assert.Equal(Fleet.Namespace, item.Namespace);
            }
        }
    }

    [Fact]
    public void StrictLoading_RejectsAMisspelledField()
    {
        var path = Path.Combine(Path.GetTempPath(), $"botburrow-deploy-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, "apiVersion: v1\nkind: Service\nmetadata:\n  name: x\nspec:\n  selectr:\n    app: x\n");
        try
        {
            var error = Assert.Throws<InvalidOperationException>(() => ManifestLoader.Load(path));
            Assert.Contains("selectr", error.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Overlay_RendersTheWholeFleet()
    {
        var kinds = Fleet.Overlay.Objects.Select(o => $"{o.Kind}/{o.Name}").ToHashSet();

        string[] expected =
        [
            "Namespace/botburrow-agents", "ServiceAccount/botburrow-agents",
            "ConfigMap/botburrow-agents-config", "ConfigMap/agent-permissions", "ConfigMap/agent-definitions-sync",
            "StatefulSet/valkey", "Service/valkey",
            "Deployment/coordinator", "Service/coordinator", "PodDisruptionBudget/coordinator",
            "Deployment/runner-notification", "Deployment/runner-exploration", "Deployment/runner-hybrid",
            "Service/runner-notification", "Service/runner-exploration", "Service/runner-hybrid",
            "PodDisruptionBudget/runner-notification", "PodDisruptionBudget/runner-exploration", "PodDisruptionBudget/runner-hybrid",
            "HorizontalPodAutoscaler/runner-notification", "HorizontalPodAutoscaler/runner-exploration",
            "ServiceMonitor/coordinator", "ServiceMonitor/runner",
            "NetworkPolicy/runner", "NetworkPolicy/coordinator", "NetworkPolicy/valkey",
        ];
        Assert.All(expected, e => Assert.Contains(e, kinds));
        Assert.Equal(Fleet.Overlay.Objects.Count, kinds.Count);
    }

    [Fact]
    public void Overlay_HasNoDuplicateObjects()
    {
        var duplicates = Fleet.Overlay.Objects.GroupBy(o => $"{o.Kind}/{o.Namespace}/{o.Name}").Where(g => g.Count() > 1).Select(g => g.Key);
        Assert.Empty(duplicates);
    }

    [Fact]
    public void Overlay_ObjectsUseTheirPreferredTypes()
    {
        Assert.Single(Fleet.Overlay.All<V1StatefulSet>());
        Assert.Equal(4, Fleet.Overlay.All<V1Deployment>().Count());
        Assert.Equal(2, Fleet.Overlay.All<V2HorizontalPodAutoscaler>().Count());
        Assert.Equal(4, Fleet.Overlay.All<V1PodDisruptionBudget>().Count());
        Assert.Equal(3, Fleet.Overlay.All<V1NetworkPolicy>().Count());
        Assert.Empty(Fleet.Overlay.All<ScaledObject>()); // KEDA is opt-in
        Assert.Single(Fleet.OverlayWithKeda.All<ScaledObject>());
        Assert.Equal(2, Fleet.Overlay.All<ServiceMonitor>().Count());
    }
}
