using Botburrow.Agents.Definitions.Model;
using Botburrow.Agents.Definitions.Sources;
using Botburrow.Agents.Work;

namespace Botburrow.Agents.Doctor;

public sealed partial class FleetDoctor
{
    /// <summary>The agent a source that cannot list is asked for when the work store names none: its answer (even "not found") proves the source can be read.</summary>
    private const string ProbeAgent = "doctor-probe";

    private const string ValidateRemedy = "Run botburrow agents validate; check AGENT_DEFINITIONS_PATH is correct and the git-sync sidecar is working";

    /// <summary>The guide's "Cannot Reach GitHub": what to check when the source cannot be read.</summary>
    private const string UnreadableRemedy = "The coordinator keeps serving the agents it has cached, but no new or changed definition loads. "
        + "Test the source from the pod (kubectl exec -n botburrow-agents runner-xxx -- curl -I https://raw.githubusercontent.com, or git ls-remote for a git repository); "
        + "check the proxy variables (kubectl exec -n botburrow-agents runner-xxx -- printenv | grep -i proxy: HTTPS_PROXY, HTTP_PROXY, NO_PROXY) "
        + "and the NetworkPolicy's egress to the source (port 443); or switch to git-sync (AGENT_DEFINITIONS_PATH)";

    private static async Task<IReadOnlyList<AgentDefinition>> CheckDefinitionsAsync(DoctorTargets targets, List<DoctorFinding> findings, CancellationToken cancellationToken)
    {
        if (targets.Definitions is not { } source)
        {
            findings.Add(DoctorFinding.Fail("definitions", "no agent definitions source is configured", ValidateRemedy));
            return [];
        }

        if (!source.SupportsListing)
        {
            findings.Add(await ProbeUnlistableAsync(source, targets.Queue, cancellationToken));
            return [];
        }

        AgentCatalog catalog;
        try
        {
            catalog = await source.ListAsync(cancellationToken);
        }
        catch (AgentDefinitionSourceException ex)
        {
            findings.Add(DoctorFinding.Fail("definitions", $"Agent config loading fails: {source.Description} cannot be read: {Cause(ex)}", UnreadableRemedy));
            return [];
        }

        if (catalog.Problems.Count > 0)
        {
            var first = string.Join("; ", catalog.Problems.Take(3).Select(p => p.Format(catalog.Root)));
            findings.Add(DoctorFinding.Fail("definitions", $"{catalog.Problems.Count} problem(s) in {source.Description}: {first}", ValidateRemedy));
        }
        else if (catalog.Agents.Count == 0)
        {
            findings.Add(DoctorFinding.Fail("definitions", $"no agent found in {source.Description}", ValidateRemedy));
        }
        else
        {
            findings.Add(DoctorFinding.Ok("definitions", $"{catalog.Agents.Count} agent(s) and {catalog.Skills.Count} skill(s) valid in {source.Description}"));
        }

        return catalog.Agents;
    }

    /// <summary>
    /// A source that cannot list (GitHub raw files) is asked for one agent: one the work store saw lately, else a
    /// probe name. An answer, "not found" included, shows it can be read; a failure names the cause.
    /// </summary>
    private static async Task<DoctorFinding> ProbeUnlistableAsync(IAgentDefinitionSource source, IWorkQueue? queue, CancellationToken cancellationToken)
    {
        var agent = ProbeAgent;
        if (queue is not null)
        {
            try
            {
                agent = (await queue.ListRecentAsync(cancellationToken)).Select(r => r.AgentId).FirstOrDefault() ?? ProbeAgent;
            }
            catch (Exception ex) when (ex is WorkQueueUnavailableException or TimeoutException)
            {
                // The redis check reports it; the probe name will do.
            }
        }

        try
        {
            await source.GetAsync(agent, cancellationToken);
        }
        catch (AgentDefinitionSourceException ex)
        {
            return DoctorFinding.Fail("definitions", $"Agent config loading fails: {source.Description} cannot be read: {Cause(ex)}", UnreadableRemedy);
        }
        catch (AgentConfigNotFoundException)
        {
            // It answered.
        }
        catch (AgentDefinitionException)
        {
            // It answered; the definition's problems show when the agent is activated (agent_definition_invalid).
        }

        return DoctorFinding.Info(
            "definitions",
            $"{source.Description} answers; it cannot list agents, so the per-agent checks were skipped",
            "Use git-sync (AGENT_DEFINITIONS_PATH) or a git repository to let doctor see every agent");
    }

    /// <summary>The failure and the innermost cause (Connection refused, a proxy's answer), once each.</summary>
    private static string Cause(Exception ex)
    {
        var inner = ex;
        while (inner.InnerException is not null)
        {
            inner = inner.InnerException;
        }

        return ReferenceEquals(inner, ex) || ex.Message.Contains(inner.Message, StringComparison.Ordinal) ? ex.Message : $"{ex.Message} ({inner.Message})";
    }
}
