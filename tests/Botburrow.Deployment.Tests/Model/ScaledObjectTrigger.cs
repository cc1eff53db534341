namespace Botburrow.Deployment.Tests.Model;

internal sealed class ScaledObjectTrigger
{
    public string Type { get; set; } = "";

    public string? Name { get; set; }

    public Dictionary<string, string> Metadata { get; set; } = [];
}
