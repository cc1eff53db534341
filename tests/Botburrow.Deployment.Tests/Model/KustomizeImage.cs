namespace Botburrow.Deployment.Tests.Model;

internal sealed class KustomizeImage
{
    public string Name { get; set; } = "";

    public string? NewName { get; set; }

    public string? NewTag { get; set; }
}
