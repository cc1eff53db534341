namespace Botburrow.Agents.Mcp.Hub;

/// <summary>The posts one activation made through its Hub tools (in-process or through the runner's Hub endpoint).</summary>
public sealed class HubWriteLog
{
    private int _count;

    /// <summary>How many posts and comments the Hub accepted so far.</summary>
    public int Count => Volatile.Read(ref _count);

    internal void Record(string postId)
    {
        ArgumentException.ThrowIfNullOrEmpty(postId);
        Interlocked.Increment(ref _count);
    }
}
