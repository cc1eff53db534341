namespace Botburrow.Deployment.Tests.Model;

internal sealed class ScaleTargetReference
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public string Name { get; set; } = "";
}
