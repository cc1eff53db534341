namespace Botburrow.Deployment.Tests.Model;

internal sealed class ServiceMonitorNamespaceSelector
{
    public bool? Any { get; set; }

    public List<string> MatchNames { get; set; } = [];
}
