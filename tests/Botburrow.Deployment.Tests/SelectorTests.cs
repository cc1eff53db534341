using Botburrow.Deployment.Tests.Manifests;
using Botburrow.Deployment.Tests.Model;
using k8s.Models;
using Xunit;

namespace Botburrow.Deployment.Tests;

public sealed class SelectorTests
{
    private static readonly Fleet Fleet = Fleet.Overlay;

    [Fact]
    public void EachWorkloadSelector_MatchesItsOwnPodTemplate()
    {
        Assert.All(Fleet.Workloads, w => Assert.True(LabelSelectors.Matches(w.Selector, w.PodLabels), $"{w}: selector does not match its pod labels"));
    }

    [Fact]
    public void NoTwoWorkloads_ShareAPodSelector()
    {
        Assert.All(Fleet.Workloads, w => Assert.Equal([w], Fleet.WorkloadsSelectedBy(w.Selector)));
    }

    [Fact]
    public void EachService_SelectsPodsThatServeItsTargetPorts()
    {
        foreach (var service in Fleet.All<V1Service>())
        {
            var workloads = Fleet.WorkloadsSelectedBy(service.Spec.Selector);
            Assert.True(workloads.Count > 0, $"Service {service.Metadata.Name} selects no pods");
            foreach (var port in service.Spec.Ports)
            {
                foreach (var workload in workloads)
                {
                    var target = port.TargetPort?.Value ?? port.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    var served = workload.PodSpec.Containers.SelectMany(c => c.Ports ?? [])
                        .Any(p => p.Name == target || p.ContainerPort.ToString(System.Globalization.CultureInfo.InvariantCulture) == target);
                    Assert.True(served, $"Service {service.Metadata.Name} port {port.Name} targets '{target}', which no container of {workload} declares");
                }
            }
        }
    }

    [Fact]
    public void ServicePorts_EqualTheContainerPortsTheyTarget()
    {
        foreach (var service in Fleet.All<V1Service>())
        {
            foreach (var workload in Fleet.WorkloadsSelectedBy(service.Spec.Selector))
            {
                foreach (var port in service.Spec.Ports)
                {
                    var containerPort = workload.PodSpec.Containers.SelectMany(c => c.Ports ?? []).Single(p => p.Name == port.TargetPort.Value);
                    Assert.Equal(containerPort.ContainerPort, port.Port);
                }
            }
        }
    }

    [Fact]
    public void EachPodDisruptionBudget_SelectsExactlyOneWorkload_AndNeverBlocksADrain()
    {
        foreach (var pdb in Fleet.All<V1PodDisruptionBudget>())
        {
            var workload = Assert.Single(Fleet.WorkloadsSelectedBy(pdb.Spec.Selector));
            if (pdb.Spec.MinAvailable is { } minAvailable)
            {
                Assert.True(int.Parse(minAvailable.Value, System.Globalization.CultureInfo.InvariantCulture) < workload.Replicas, $"PDB {pdb.Metadata.Name} minAvailable must be below the replicas of {workload}");
            }
            else
            {
                Assert.True(int.Parse(pdb.Spec.MaxUnavailable.Value, System.Globalization.CultureInfo.InvariantCulture) >= 1, $"PDB {pdb.Metadata.Name} must allow one disruption");
            }
        }
    }

    [Fact]
    public void CoordinatorAndEveryRunner_HaveAPodDisruptionBudget()
    {
        var covered = Fleet.All<V1PodDisruptionBudget>().SelectMany(p => Fleet.WorkloadsSelectedBy(p.Spec.Selector)).Select(w => w.Name).ToHashSet();
        Assert.All(Fleet.BotburrowWorkloads, w => Assert.Contains(w.Name, covered));
    }

    [Fact]
    public void EachServiceMonitor_SelectsExistingServices_ByPortNamesTheyHave()
    {
        foreach (var monitor in Fleet.All<ServiceMonitor>())
        {
            var namespaces = monitor.Spec.NamespaceSelector?.MatchNames is { Count: > 0 } names ? names : [monitor.Metadata.NamespaceProperty];
            var services = Fleet.All<V1Service>()
                .Where(s => namespaces.Contains(s.Metadata.NamespaceProperty) && LabelSelectors.Matches(monitor.Spec.Selector, s.Metadata.Labels))
                .ToList();
            Assert.True(services.Count > 0, $"ServiceMonitor {monitor.Metadata.Name} selects no Service");
            foreach (var endpoint in monitor.Spec.Endpoints)
            {
                Assert.Equal("/metrics", endpoint.Path ?? "/metrics");
                Assert.All(services, s => Assert.True(
                    s.Spec.Ports.Any(p => p.Name == endpoint.Port),
                    $"ServiceMonitor {monitor.Metadata.Name} scrapes port '{endpoint.Port}', which Service {s.Metadata.Name} does not name"));
            }
        }
    }

    [Fact]
    public void ServiceMonitors_CoverTheCoordinatorAndAllThreeRunnerServices()
    {
        var scraped = Fleet.All<ServiceMonitor>()
            .SelectMany(m => Fleet.All<V1Service>().Where(s => LabelSelectors.Matches(m.Spec.Selector, s.Metadata.Labels)))
            .Select(s => s.Metadata.Name)
            .ToHashSet();
        Assert.Equal(["coordinator", "runner-exploration", "runner-hybrid", "runner-notification"], scraped.Order());
    }

    [Fact]
    public void EachNetworkPolicy_SelectsPods()
    {
        Assert.All(Fleet.All<V1NetworkPolicy>(), p => Assert.NotEmpty(Fleet.WorkloadsSelectedBy(p.Spec.PodSelector)));
    }

    [Fact]
    public void Probes_UsePortsTheirContainerDeclares()
    {
        foreach (var workload in Fleet.Workloads)
        {
            foreach (var container in workload.AllContainers)
            {
                foreach (var probe in new[] { container.StartupProbe, container.LivenessProbe, container.ReadinessProbe }.OfType<V1Probe>())
                {
                    if (probe.HttpGet is { } get)
                    {
                        Assert.True(
                            (container.Ports ?? []).Any(p => p.Name == get.Port.Value || p.ContainerPort.ToString(System.Globalization.CultureInfo.InvariantCulture) == get.Port.Value),
                            $"{workload}/{container.Name}: probe port '{get.Port.Value}' is not a port of the container");
                    }
                    else
                    {
                        Assert.NotNull(probe.Exec);
                    }
                }
            }
        }
    }

    [Fact]
    public void BotburrowContainers_ProbeHealthLiveAndHealthReady()
    {
        foreach (var workload in Fleet.BotburrowWorkloads)
        {
            var container = Assert.Single(workload.BotburrowContainers);
            Assert.Equal("/health/live", container.LivenessProbe?.HttpGet?.Path);
            Assert.Equal("/health/ready", container.ReadinessProbe?.HttpGet?.Path);
        }
    }
}
