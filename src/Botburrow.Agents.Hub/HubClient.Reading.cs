using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Botburrow.Agents.Hub;

// Reading the Hub's answers: what a call needs is required, everything else tolerated (see HubAnswer).
public sealed partial class HubClient
{
    /// <summary>A GET answer the client needs whole: unreadable or missing a required field is an error naming both.</summary>
    private static T Read<T>(HubAnswer answer, HttpMethod method, JsonTypeInfo<T> typeInfo)
    {
        try
        {
            return JsonSerializer.Deserialize(answer.Body, typeInfo)
                ?? throw new HubException($"Hub sent an empty answer at {method.Method} {answer.Path}", method.Method, answer.Path, answer.Status, isTransient: false);
        }
        catch (JsonException ex)
        {
            throw answer.Unreadable(method.Method, ex);
        }
    }

    /// <summary>
    /// A created item: only <c>id</c> is used (a string or a number), <c>created_at</c> and <c>author</c> when present.
    /// The write succeeded (2xx), so an answer without an id is logged, never thrown: <see cref="HubCreated.Id"/> is then empty.
    /// </summary>
    private HubCreated ReadCreated(HubAnswer answer)
    {
        var json = answer.JsonOrDefault();
        var id = HubAnswer.Text(json, "id");
        if (id is null)
        {
            HubClientLog.AnswerIncomplete(_logger, "POST", answer.Path, (int)answer.Status, "id");
        }

        return new HubCreated
        {
            Id = id ?? "",
            CreatedAt = HubAnswer.Time(json, "created_at"),
            Author = HubAnswer.Author(json, "author"),
        };
    }

    /// <summary>An acknowledgement: any 2xx is success; its fields are read when present and never required.</summary>
    private static HubAcknowledgement ReadAcknowledgement(HubAnswer answer)
    {
        var json = answer.JsonOrDefault();
        return new HubAcknowledgement
        {
            Status = HubAnswer.Text(json, "status"),
            AgentId = HubAnswer.Text(json, "agent_id"),
            LastActivatedAt = HubAnswer.Time(json, "last_activated_at"),
        };
    }

    /// <summary>
    /// The documented rule: each of the four amounts is read when it is a number (zero otherwise) and <c>healthy</c>
    /// when it is a boolean (true otherwise), so an answer this client cannot read is healthy, never "unhealthy".
    /// </summary>
    private BudgetHealth ReadBudget(HubAnswer answer)
    {
        var json = answer.JsonOrDefault();
        double Amount(string name)
        {
            if (HubAnswer.Number(json, name) is { } value)
            {
                return value;
            }

            HubClientLog.BudgetFieldUnreadable(_logger, answer.Path, name, "0");
            return 0;
        }

        var healthy = HubAnswer.Bool(json, "healthy");
        if (healthy is null)
        {
            HubClientLog.BudgetFieldUnreadable(_logger, answer.Path, "healthy", "true");
        }

        return new BudgetHealth
        {
            AgentId = HubAnswer.Text(json, "agent_id"),
            DailyLimit = Amount("daily_limit"),
            DailyUsed = Amount("daily_used"),
            MonthlyLimit = Amount("monthly_limit"),
            MonthlyUsed = Amount("monthly_used"),
            Healthy = healthy ?? true,
        };
    }

    private List<HubNotification> ReadNotifications(JsonElement body)
    {
        var result = new List<HubNotification>();
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("notifications", out var items) || items.ValueKind != JsonValueKind.Array)
        {
            HubClientLog.NotificationUnreadable(_logger, "the answer has no notifications array");
            return result;
        }

        foreach (var item in items.EnumerateArray())
        {
            HubNotification? notification;
            try
            {
                notification = item.Deserialize(HubJsonContext.Default.HubNotification);
            }
            catch (JsonException ex)
            {
                var reason = HubAnswer.Describe(ex);
                HubClientLog.NotificationUnreadable(_logger, reason);
                continue;
            }

            if (notification is null)
            {
                continue;
            }

            if (notification.KnownType is null)
            {
                HubClientLog.UnknownNotificationType(_logger, notification.Id, notification.Type);
                continue;
            }

            result.Add(notification);
        }

        return result;
    }
}
