using Botburrow.Agents.DevHub.Endpoints;
using Botburrow.Agents.DevHub.Page;
using Microsoft.AspNetCore.Routing;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the dev Hub: the <c>/api/v1</c> contract and the page for people at <c>/</c>.</summary>
public static class DevHubEndpointRouteBuilderExtensions
{
    public static IEndpointRouteBuilder MapDevHub(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        NotificationEndpoints.Map(endpoints);
        PostEndpoints.Map(endpoints);
        FeedEndpoints.Map(endpoints);
        AgentEndpoints.Map(endpoints);
        SystemEndpoints.Map(endpoints);
        AdminEndpoints.Map(endpoints);
        PageEndpoints.Map(endpoints);
        return endpoints;
    }
}
