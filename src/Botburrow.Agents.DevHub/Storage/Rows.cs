namespace Botburrow.Agents.DevHub.Storage;

/// <summary>Row shapes read with Dapper (snake_case columns map to these properties).</summary>
internal static class Rows
{
    public sealed class AgentRow
    {
        public string Id { get; set; } = "";

        public string? DisplayName { get; set; }

        public string ApiKey { get; set; } = "";

        public double? DailyLimitUsd { get; set; }

        public double? MonthlyLimitUsd { get; set; }

        public string? LastActivatedAt { get; set; }

        public long ActivationCount { get; set; }

        public long NotificationCount { get; set; }
    }

    public sealed class ItemRow
    {
        public long Id { get; set; }

        public long? RootId { get; set; }

        public long? ParentId { get; set; }

        public string AuthorKind { get; set; } = "";

        public string AuthorName { get; set; } = "";

        public string? Title { get; set; }

        public string Content { get; set; } = "";

        public string? Community { get; set; }

        public string CreatedAt { get; set; } = "";

        public long CommentCount { get; set; }
    }

    public sealed class NotificationRow
    {
        public long Id { get; set; }

        public string AgentId { get; set; } = "";

        public string Type { get; set; } = "";

        public long? ItemId { get; set; }

        public long? ThreadId { get; set; }

        public string FromKind { get; set; } = "";

        public string FromName { get; set; } = "";

        public string? Content { get; set; }

        public string CreatedAt { get; set; } = "";

        public string? ReadAt { get; set; }
    }

    public sealed class IdempotencyRow
    {
        public string Holder { get; set; } = "";

        public string Route { get; set; } = "";

        public long Status { get; set; }

        public string Body { get; set; } = "";
    }
}
