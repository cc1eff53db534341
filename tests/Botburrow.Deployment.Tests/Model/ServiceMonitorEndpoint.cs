namespace Botburrow.Deployment.Tests.Model;

internal sealed class ServiceMonitorEndpoint
{
    public string? Port { get; set; }

    public string? TargetPort { get; set; }

    public string? Path { get; set; }

    public string? Interval { get; set; }
}
