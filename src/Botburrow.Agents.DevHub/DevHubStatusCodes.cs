using Botburrow.Agents.DevHub.Endpoints;
using Botburrow.Agents.DevHub.Storage;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Botburrow.Agents.DevHub;

/// <summary>Refusals that no endpoint wrote (an unknown path, a method a path does not take) as problems naming the culprit.</summary>
internal static class DevHubStatusCodes
{
    public static Task WriteProblemAsync(StatusCodeContext context)
    {
        var http = context.HttpContext;
        var status = http.Response.StatusCode;
        var problem = status switch
        {
            StatusCodes.Status404NotFound => new HubProblemException(404, "path", $"no Hub endpoint at {http.Request.Path}"),
            StatusCodes.Status405MethodNotAllowed => new HubProblemException(405, "method", $"{http.Request.Path} does not take {http.Request.Method}"),
            _ => new HubProblemException(status, "request", $"refused with {status}"),
        };
        return HubRequest.Problem(problem).ExecuteAsync(http);
    }
}
