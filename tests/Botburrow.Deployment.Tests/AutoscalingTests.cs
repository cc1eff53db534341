using Botburrow.Deployment.Tests.Manifests;
using Botburrow.Deployment.Tests.Model;
using k8s.Models;
using Xunit;

namespace Botburrow.Deployment.Tests;

public sealed class AutoscalingTests
{
    private static readonly Fleet Fleet = Fleet.Overlay;

    [Fact]
    public void HorizontalPodAutoscalers_TargetExistingRunnerDeployments()
    {
        var runners = Fleet.Runners.Select(r => r.Name).ToHashSet();
        foreach (var hpa in Fleet.All<V2HorizontalPodAutoscaler>())
        {
            Assert.Equal("Deployment", hpa.Spec.ScaleTargetRef.Kind);
            Assert.Equal("apps/v1", hpa.Spec.ScaleTargetRef.ApiVersion);
            Assert.Contains(hpa.Spec.ScaleTargetRef.Name, runners);
            Assert.InRange(hpa.Spec.MinReplicas ?? 1, 1, hpa.Spec.MaxReplicas);
            Assert.NotEmpty(hpa.Spec.Metrics);
        }
    }

    [Fact]
    public void ResourceMetricHpas_TargetContainersWithRequests()
    {
        // Utilization targets are relative to requests; without requests the HPA cannot compute them.
        foreach (var hpa in Fleet.All<V2HorizontalPodAutoscaler>())
        {
            var workload = Fleet.GetWorkload("Deployment", hpa.Spec.ScaleTargetRef.Name);
            foreach (var metric in hpa.Spec.Metrics.Where(m => m.Type == "Resource"))
            {
                Assert.All(workload.PodSpec.Containers, c => Assert.True(c.Resources?.Requests?.ContainsKey(metric.Resource.Name) == true, $"{workload}/{c.Name} has no {metric.Resource.Name} request"));
            }
        }
    }

    [Fact]
    public void ScaledObject_ScalesOnTheDepthOfEveryWorkQueue()
    {
        var scaled = Assert.Single(Fleet.All<ScaledObject>());
        Assert.Equal("Deployment", scaled.Spec.ScaleTargetRef.Kind ?? "Deployment");
        Assert.Contains(scaled.Spec.ScaleTargetRef.Name, Fleet.Runners.Select(r => r.Name));
        Assert.InRange(scaled.Spec.MinReplicaCount ?? 0, 1, scaled.Spec.MaxReplicaCount ?? 100);

        var redisUrl = new Uri(Fleet.Get<V1ConfigMap>(Fleet.ConfigMapName).Data["REDIS_URL"]);
        Assert.All(scaled.Spec.Triggers, t =>
        {
            Assert.Equal("redis", t.Type);
            Assert.Equal($"{redisUrl.Host}:{redisUrl.Port}", t.Metadata["address"]);
            Assert.True(int.Parse(t.Metadata["listLength"], System.Globalization.CultureInfo.InvariantCulture) > 0);
        });
        Assert.Equal(["work:queue:high", "work:queue:low", "work:queue:normal"], scaled.Spec.Triggers.Select(t => t.Metadata["listName"]).Order());
    }

    [Fact]
    public void NoDeployment_IsScaledByBothAnHpaAndKeda()
    {
        // KEDA creates its own HPA for a ScaledObject's target; two HPAs on one Deployment fight.
        var hpaTargets = Fleet.All<V2HorizontalPodAutoscaler>().Select(h => h.Spec.ScaleTargetRef.Name).ToList();
        var kedaTargets = Fleet.All<ScaledObject>().Select(s => s.Spec.ScaleTargetRef.Name).ToList();
        Assert.Empty(hpaTargets.Intersect(kedaTargets));
        Assert.Equal(hpaTargets.Count, hpaTargets.Distinct().Count());
    }

    [Fact]
    public void ValkeyNetworkPolicy_AdmitsTheKedaOperator()
    {
        var policy = Fleet.Get<V1NetworkPolicy>("valkey");
        Assert.Contains(policy.Spec.Ingress.SelectMany(r => r.FromProperty ?? []), peer =>
            peer.NamespaceSelector?.MatchLabels?.TryGetValue("kubernetes.io/metadata.name", out var ns) == true && ns == "keda");
    }
}
