namespace Botburrow.Cli.Tests.Operations;

/// <summary>One sample line of the Prometheus text format.</summary>
internal sealed record MetricSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);
