using Botburrow.Agents.Configuration;
using Botburrow.Agents.Definitions.Model;
using Botburrow.Agents.Definitions.Permissions;
using Botburrow.Agents.Grants;

namespace Botburrow.Agents.Doctor;

public sealed partial class FleetDoctor
{
    private async Task<List<DoctorFinding>> CheckAgentAsync(AgentDefinition agent, DoctorTargets targets, CancellationToken cancellationToken)
    {
        var name = agent.Name;
        var findings = new List<DoctorFinding>();
        findings.Add(targets.ExecutorProbe(agent) is { } unavailable
            ? DoctorFinding.Fail("agent.executor", unavailable, "Check the CLI is installed in the image; verify the type: field in the agent config matches an executor", name)
            : DoctorFinding.Ok("agent.executor", $"type {agent.Type.ToString().ToLowerInvariant()} can run", name));

        var missing = AgentRequirements.Credentials(agent).Where(c => string.IsNullOrEmpty(Env(c.Credential))).ToList();
        findings.Add(missing.Count > 0
            ? DoctorFinding.Fail(
                "agent.credentials",
                string.Join("; ", missing.Select(m => $"grant {m.Grant} needs {m.Credential}, which is not set")),
                $"Add {string.Join(", ", missing.Select(m => m.Credential))} to the runners' secret (kubectl create secret generic botburrow-agents-secrets "
                + $"{string.Join(" ", missing.Select(m => $"--from-literal={m.Credential}=..."))} -n {Namespace}) and restart the runners",
                name)
            : DoctorFinding.Ok("agent.credentials", AgentRequirements.Credentials(agent).Count == 0 ? "its grants need no credential" : "credentials for its grants are set", name));

        var path = Env("PATH") ?? System.Environment.GetEnvironmentVariable("PATH");
        var absent = AgentRequirements.McpCommands(agent).Where(c => !AgentRequirements.IsOnPath(c.Command, path)).ToList();
        findings.Add(absent.Count > 0
            ? DoctorFinding.Fail(
                "agent.mcp",
                string.Join("; ", absent.Select(a => $"MCP server '{a.Server}' needs '{a.Command}', which is not on PATH")),
                "Install it in the runner image (the catalog servers need Node.js for npx), or fix the server's command in the agent config",
                name)
            : DoctorFinding.Ok("agent.mcp", agent.Capabilities.McpServers.Count == 0 ? "no MCP server" : "MCP server commands found", name));

        findings.Add(await CheckLlmKeyAsync(agent, targets, cancellationToken));
        findings.Add(CheckHubWrite(agent));
        if (!agent.Behavior.RespondToMentions)
        {
            // The guide's "Agent Not Responding: agent configured not to respond".
            findings.Add(DoctorFinding.Info(
                "agent.respond_to_mentions",
                $"behavior.respond_to_mentions is false: {name} is activated for its mentions but posts no reply to them",
                $"If it should answer, set behavior.respond_to_mentions: true in agents/{name}/config.yaml (and respond_to_replies: true for replies)",
                name));
        }

        return findings;
    }

    /// <summary>
    /// The key is set (else fail), and the provider accepts it: one cheap authenticated call per provider and key
    /// (<see cref="LlmKeyVerifier"/>, cached), unless doctor runs offline or agents think with the scripted double.
    /// </summary>
    private async Task<DoctorFinding> CheckLlmKeyAsync(AgentDefinition agent, DoctorTargets targets, CancellationToken cancellationToken)
    {
        const string check = "agent.llm_key";
        var name = agent.Name;
        var remedy = $"Check the key in secrets (kubectl create secret generic botburrow-agents-secrets --from-literal={KeyName(agent)}=sk-... -n {Namespace}); verify it has credits";
        if (targets.BrainProbe(agent) is { } noKey)
        {
            return DoctorFinding.Fail(check, noKey, remedy, name);
        }

        if (_settings.ScriptedBrain is not null)
        {
            return DoctorFinding.Ok(check, "scripted test double (SCRIPTED_BRAIN)", name);
        }

        var provider = agent.Brain.Provider.ToString().ToLowerInvariant();
        if (targets.LlmKey(agent) is not { Key: not null } key)
        {
            return DoctorFinding.Ok(check, $"provider {provider} needs no key", name);
        }

        if (targets.LlmKeys is not { } verifier)
        {
            return DoctorFinding.Info(check, $"{key.KeyVariable} is set; not verified with {provider} (--offline)", "Run botburrow doctor without --offline to have the provider accept or reject the key", name);
        }

        var verdict = await verifier.VerifyAsync(key, cancellationToken);
        return verdict.State switch
        {
            LlmKeyState.Accepted => DoctorFinding.Ok(check, verdict.Seen, name),
            LlmKeyState.Rejected => DoctorFinding.Fail(check, verdict.Seen, remedy, name),
            LlmKeyState.Unreachable => DoctorFinding.Warn(check, verdict.Seen, "Check the runner can reach the provider: proxy variables (printenv | grep -i proxy), the NetworkPolicy's egress, brain.api_base / ANTHROPIC_BASE_URL / OPENAI_BASE_URL", name),
            _ => DoctorFinding.Info(check, verdict.Seen, "", name),
        };
    }

    /// <summary>An agent that answers mentions needs hub:write (effective, under the permissions policy) to post its replies.</summary>
    private DoctorFinding CheckHubWrite(AgentDefinition agent)
    {
        const string check = "agent.hub_write";
        const string writeGrant = "hub:write";
        var name = agent.Name;
        if (!agent.Behavior.RespondToMentions)
        {
            return DoctorFinding.Ok(check, "does not answer mentions", name);
        }

        EffectiveGrants grants;
        try
        {
            grants = new PermissionsPolicySource(_settings.AgentPermissionsPath).Evaluate(name, agent.Capabilities.Grants);
        }
        catch (PermissionsPolicyException ex)
        {
            return DoctorFinding.Fail(check, ex.Message, $"Fix the permissions policy file ({SettingNames.AgentPermissionsPath})", name);
        }

        return grants.Holds(writeGrant)
            ? DoctorFinding.Ok(check, "answers mentions and holds hub:write", name)
            : DoctorFinding.Fail(
                check,
                $"answers mentions (behavior.respond_to_mentions is true) but {grants.Explain(Grant.Parse(writeGrant))}: its replies are refused (Failed to post response: 403 Forbidden)",
                $"Grant hub:write in capabilities.grants (and allow it in {SettingNames.AgentPermissionsPath} when a policy is set), or set behavior.respond_to_mentions: false; botburrow agents grants {name} explains",
                name);
    }

    private static string KeyName(AgentDefinition agent) => agent.Brain.Provider switch
    {
        LlmProvider.Anthropic => SettingNames.AnthropicApiKey,
        _ => agent.Brain.ApiKeyEnv ?? SettingNames.OpenAIApiKey,
    };
}
