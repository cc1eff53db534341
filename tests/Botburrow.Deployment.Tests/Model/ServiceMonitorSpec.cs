using k8s.Models;

namespace Botburrow.Deployment.Tests.Model;

internal sealed class ServiceMonitorSpec
{
    public ServiceMonitorNamespaceSelector? NamespaceSelector { get; set; }

    public V1LabelSelector Selector { get; set; } = new();

    public List<ServiceMonitorEndpoint> Endpoints { get; set; } = [];
}
