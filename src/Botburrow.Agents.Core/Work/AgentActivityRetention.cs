namespace Botburrow.Agents.Work;

/// <summary>How long the behaviour-limit state is kept.</summary>
public static class AgentActivityRetention
{
    /// <summary>A day's counts live two days, so that a day never expires while it is still today anywhere in the fleet.</summary>
    public static readonly TimeSpan Day = TimeSpan.FromDays(2);

    /// <summary>Responses per thread are remembered this long after the agent's latest response in it.</summary>
    public static readonly TimeSpan Thread = TimeSpan.FromDays(30);

    /// <summary>The latest publication is remembered one day (longer than any sensible <c>min_interval_seconds</c>).</summary>
    public static readonly TimeSpan LastPublished = TimeSpan.FromDays(1);
}
