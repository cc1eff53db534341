using k8s;
using k8s.Models;

namespace Botburrow.Deployment.Tests.Model;

/// <summary>A Prometheus Operator <c>monitoring.coreos.com/v1</c> ServiceMonitor, with the fields our manifests use.</summary>
internal sealed class ServiceMonitor : IKubernetesObject<V1ObjectMeta>
{
    public const string TypeKey = "monitoring.coreos.com/v1/ServiceMonitor";

    public string ApiVersion { get; set; } = "";

    public string Kind { get; set; } = "";

    public V1ObjectMeta Metadata { get; set; } = new();

    public ServiceMonitorSpec Spec { get; set; } = new();
}
