namespace Botburrow.Cli.Tests.Operations;

/// <summary>A metric family: its <c># TYPE</c>, <c># HELP</c> and samples (histogram samples include _bucket/_sum/_count).</summary>
internal sealed record MetricFamily(string Name, string Type, string? Help, List<MetricSample> Samples)
{
    /// <summary>The label names used by the family's samples, <c>le</c> excluded.</summary>
    public IReadOnlySet<string> LabelNames => Samples.SelectMany(s => s.Labels.Keys).Where(k => k != "le").ToHashSet(StringComparer.Ordinal);
}
