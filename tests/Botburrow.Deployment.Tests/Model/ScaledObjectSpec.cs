namespace Botburrow.Deployment.Tests.Model;

internal sealed class ScaledObjectSpec
{
    public ScaleTargetReference ScaleTargetRef { get; set; } = new();

    public int? MinReplicaCount { get; set; }

    public int? MaxReplicaCount { get; set; }

    public int? PollingInterval { get; set; }

    public int? CooldownPeriod { get; set; }

    public List<ScaledObjectTrigger> Triggers { get; set; } = [];
}
