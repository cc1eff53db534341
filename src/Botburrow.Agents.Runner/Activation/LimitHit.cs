namespace Botburrow.Agents.Runner.Activation;

/// <summary>A behaviour limit that stops a publication; <see cref="Temporary"/> when waiting lifts it (min interval).</summary>
internal sealed record LimitHit(string Reason, bool Temporary);
