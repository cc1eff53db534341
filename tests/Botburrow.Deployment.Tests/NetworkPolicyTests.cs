using Botburrow.Deployment.Tests.Manifests;
using k8s.Models;
using Xunit;

namespace Botburrow.Deployment.Tests;

public sealed class NetworkPolicyTests
{
    private static readonly Fleet Fleet = Fleet.Overlay;

    public static TheoryData<string> BotburrowPolicies() => ["runner", "coordinator"];

    [Theory]
    [MemberData(nameof(BotburrowPolicies))]
    public void Egress_AllowsOnlyDnsValkeyTheHubAndHttps(string name)
    {
        var policy = Fleet.Get<V1NetworkPolicy>(name);
        Assert.Contains("Egress", policy.Spec.PolicyTypes);
        var allowed = policy.Spec.Egress.SelectMany(rule => (rule.Ports ?? []).Select(p => $"{p.Port.Value}/{p.Protocol ?? "TCP"}")).ToHashSet();
        Assert.Equal(["443/TCP", "53/TCP", "53/UDP", "6379/TCP", "8000/TCP"], allowed.Order());
        Assert.All(policy.Spec.Egress, rule => Assert.NotEmpty(rule.Ports ?? []));

        // Rules open to any destination carry only DNS and HTTPS.
        foreach (var rule in policy.Spec.Egress.Where(r => r.To is null || r.To.Count == 0))
        {
            Assert.All(rule.Ports, p => Assert.Contains(p.Port.Value, new[] { "53", "443" }));
        }
    }

    [Theory]
    [MemberData(nameof(BotburrowPolicies))]
    public void Egress_ToValkey_SelectsTheValkeyPods(string name)
    {
        var policy = Fleet.Get<V1NetworkPolicy>(name);
        var rule = Assert.Single(policy.Spec.Egress, r => r.Ports.Any(p => p.Port.Value == "6379"));
        var peer = Assert.Single(rule.To);
        Assert.Null(peer.NamespaceSelector);
        Assert.Equal(["StatefulSet/valkey"], Fleet.WorkloadsSelectedBy(peer.PodSelector).Select(w => w.ToString()));
    }

    [Theory]
    [MemberData(nameof(BotburrowPolicies))]
    public void Egress_ToTheHub_AllowsTheNamespaceAndPortOfHubUrl(string name)
    {
        var hub = new Uri(Fleet.Get<V1ConfigMap>(Fleet.ConfigMapName).Data["HUB_URL"]);
        var hubNamespace = hub.Host.Split('.')[1];
        var policy = Fleet.Get<V1NetworkPolicy>(name);
        var rule = Assert.Single(policy.Spec.Egress, r => r.Ports.Any(p => p.Port.Value == hub.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var peer = Assert.Single(rule.To);
        Assert.True(LabelSelectors.Matches(peer.NamespaceSelector, new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = hubNamespace }));
    }

    [Fact]
    public void Policies_SelectTheRightPods()
    {
        Assert.Equal(["Deployment/runner-exploration", "Deployment/runner-hybrid", "Deployment/runner-notification"], Fleet.WorkloadsSelectedBy(Fleet.Get<V1NetworkPolicy>("runner").Spec.PodSelector).Select(w => w.ToString()).Order());
        Assert.Equal(["Deployment/coordinator"], Fleet.WorkloadsSelectedBy(Fleet.Get<V1NetworkPolicy>("coordinator").Spec.PodSelector).Select(w => w.ToString()));
        Assert.Equal(["StatefulSet/valkey"], Fleet.WorkloadsSelectedBy(Fleet.Get<V1NetworkPolicy>("valkey").Spec.PodSelector).Select(w => w.ToString()));
    }

    [Fact]
    public void ValkeyIngress_AdmitsTheCoordinatorAndEveryRunner()
    {
        var policy = Fleet.Get<V1NetworkPolicy>("valkey");
        var peers = policy.Spec.Ingress.Where(r => r.Ports.Any(p => p.Port.Value == "6379")).SelectMany(r => r.FromProperty).Where(p => p.NamespaceSelector is null).ToList();
        Assert.All(Fleet.BotburrowWorkloads, w => Assert.True(peers.Any(p => LabelSelectors.Matches(p.PodSelector, w.PodLabels)), $"{w} cannot reach Valkey"));
    }

    [Fact]
    public void Ingress_AllowsTheMetricsPortScrapersUse()
    {
        foreach (var workload in Fleet.BotburrowWorkloads)
        {
            var metricsPort = Assert.Single(workload.BotburrowContainers.Single().Ports, p => p.Name == "http-metrics").ContainerPort;
            var policies = Fleet.All<V1NetworkPolicy>().Where(p => LabelSelectors.Matches(p.Spec.PodSelector, workload.PodLabels));
            Assert.Contains(policies.SelectMany(p => p.Spec.Ingress ?? []).SelectMany(r => r.Ports ?? []), p => p.Port.Value == metricsPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
