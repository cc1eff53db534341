using System.Text.RegularExpressions;
using Botburrow.Agents.Testing;
using Botburrow.Deployment.Tests.Containers;
using Botburrow.Deployment.Tests.Manifests;
using k8s.Models;
using Xunit;

namespace Botburrow.Deployment.Tests;

/// <summary>The troubleshooting guide's kubectl lines must find real objects.</summary>
public sealed partial class GuideTests
{
    private static readonly Fleet Fleet = Fleet.Overlay;

    [Theory]
    [InlineData("app=valkey", "StatefulSet/valkey")]
    [InlineData("app.kubernetes.io/name=coordinator", "Deployment/coordinator")]
    [InlineData("app.kubernetes.io/component=runner", "Deployment/runner-exploration,Deployment/runner-hybrid,Deployment/runner-notification")]
    public void Selectors_FindPods(string selector, string expected)
    {
        var found = Fleet.WorkloadsSelectedBy(LabelSelectors.Parse(selector)).Select(w => w.ToString()).Order();
        Assert.Equal(expected, string.Join(",", found));
    }

    [Fact]
    public void Valkey0_Exists()
    {
        // kubectl exec -n botburrow-agents valkey-0 -- redis-cli LLEN "work:queue:high"
        var valkey = Fleet.Get<V1StatefulSet>("valkey");
        Assert.True(valkey.Spec.Replicas >= 1);
        Assert.Equal(Fleet.Namespace, valkey.Metadata.NamespaceProperty);
        Assert.Contains(valkey.Spec.Template.Spec.Containers.Single().Ports, p => p.ContainerPort == 6379);
    }

    [Fact]
    public void NamedObjects_Exist()
    {
        Assert.NotNull(Fleet.Get<V1Deployment>("runner-hybrid"));
        Assert.NotNull(Fleet.Get<V1Deployment>("coordinator"));
        Assert.Contains(Fleet.Get<V1Service>("coordinator").Spec.Ports, p => p.Port == 9090);
        Assert.Contains(Fleet.Get<V1Service>("valkey").Spec.Ports, p => p.Port == 6379);
        Assert.NotNull(Fleet.Get<V1ConfigMap>("botburrow-agents-config"));
        Assert.Contains("ANTHROPIC_API_KEY", Fleet.SecretTemplateData.Keys);
        Assert.Contains("HUB_API_KEY", Fleet.SecretTemplateData.Keys);
        Assert.True(File.Exists(Path.Combine(ManifestLoader.OverlayDirectory, "hpa.yaml")));
        Assert.True(File.Exists(Path.Combine(ManifestLoader.OverlayDirectory, "configmap.yaml")));
    }

    [Fact]
    public void EveryKubectlLineOfTheGuide_FindsWhatItNames()
    {
        var text = File.ReadAllText(GuidePath());
        var kubectlLines = text.Split('\n').Select(l => l.Trim()).Where(l => l.Contains("kubectl ", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(kubectlLines);

        foreach (var line in kubectlLines)
        {
            foreach (Match m in LabelFlag().Matches(line))
            {
                Assert.True(Fleet.WorkloadsSelectedBy(LabelSelectors.Parse(m.Groups[1].Value)).Count > 0, $"guide: '{line}' selects no pods");
            }

            foreach (Match m in TypedName().Matches(line))
            {
                var (kind, name) = (m.Groups[1].Value, m.Groups[2].Value);
                var exists = kind switch
                {
                    "deployment" => Fleet.Find<V1Deployment>(name) is not null,
                    "svc" => Fleet.Find<V1Service>(name) is not null,
                    _ => true,
                };
                Assert.True(exists, $"guide: '{line}' names missing {kind}/{name}");
            }

            foreach (Match m in PortForwardService().Matches(line))
            {
                var port = int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
                Assert.Contains(Fleet.Get<V1Service>(m.Groups[1].Value).Spec.Ports, p => p.Port == port);
            }

            foreach (Match m in ManifestPath().Matches(line))
            {
                var path = Path.Combine(RepositoryPaths.RepositoryRoot, m.Value);
                Assert.True(File.Exists(path), $"guide: '{line}' applies missing {m.Value}");
                Assert.Contains(Path.GetFileName(path), ManifestLoader.LoadKustomization(ManifestLoader.OverlayDirectory).Resources);
            }

            foreach (Match m in NamedResource().Matches(line))
            {
                var (kind, name) = (m.Groups[1].Value, m.Groups[2].Value);
                if (kind == "configmap")
                {
                    Assert.NotNull(Fleet.Find<V1ConfigMap>(name));
                }
                else
                {
                    Assert.Equal(Fleet.SecretName, name);
                }
            }

            if (line.Contains("valkey-0", StringComparison.Ordinal))
            {
                Assert.True(Fleet.Get<V1StatefulSet>("valkey").Spec.Replicas >= 1);
            }

            if (line.Contains(" -n ", StringComparison.Ordinal) && NamespaceFlag().Match(line) is { Success: true } ns && ns.Groups[1].Value != "botburrow-hub")
            {
                Assert.Equal(Fleet.Namespace, ns.Groups[1].Value);
            }
        }
    }

    [Fact]
    public void SecretKeysTheGuideCreates_AreInTheTemplate()
    {
        var keys = LiteralKey().Matches(File.ReadAllText(GuidePath())).Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.NotEmpty(keys);
        Assert.All(keys, k => Assert.Contains(k, Fleet.SecretTemplateData.Keys));
    }

    [Fact]
    public void VariablesTheGuidePrints_AreSetInThePods()
    {
        // kubectl exec -n botburrow-agents runner-xxx -- printenv RUNNER_MODE (and ACTIVATION_TIMEOUT)
        var text = File.ReadAllText(GuidePath());
        var checks = PrintEnv().Matches(text).Select(m => (Pod: m.Groups[1].Value, Name: m.Groups[2].Value)).Distinct().ToList();
        Assert.NotEmpty(checks);
        foreach (var (pod, name) in checks)
        {
            var workloads = pod == "runner" ? Fleet.Runners : Fleet.BotburrowWorkloads.Where(w => w.Name == pod);
            foreach (var workload in workloads)
            {
                var container = workload.BotburrowContainers.Single();
                Assert.True(Fleet.EnvironmentOf(workload, container).ContainsKey(name), $"{workload} does not set {name}, which the guide prints");
            }
        }
    }

    [Fact]
    public void ToolsTheGuideExecutesInPods_AreInTheImages()
    {
        // kubectl exec -n botburrow-agents coordinator-xxx -- curl …; … -- redis-cli -h valkey… ping; … -- nslookup hub…
        var packages = new Dictionary<string, string?>
        {
            ["curl"] = "curl",
            ["redis-cli"] = "redis-tools",
            ["nslookup"] = "bind9-dnsutils",
            ["cat"] = null,
            ["printenv"] = null,
            ["ls"] = null,
        };
        var install = " " + string.Join(" ", Dockerfile.Load().Stage("app").All("RUN").Select(r => r.Arguments)) + " ";
        var tools = PodCommand().Matches(File.ReadAllText(GuidePath())).Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.NotEmpty(tools);
        foreach (var tool in tools)
        {
            Assert.True(packages.TryGetValue(tool, out var package), $"the guide runs '{tool}' in a pod; add the package that provides it to the image and to this table");
            if (package is not null)
            {
                Assert.Contains($" {package} ", install, StringComparison.Ordinal);
            }
        }

        // redis-cli inside valkey-0: the Valkey image installs redis-* links to its valkey-* tools.
        var valkey = Fleet.Get<V1StatefulSet>("valkey").Spec.Template.Spec.Containers.Single();
        Assert.StartsWith("valkey/valkey:", valkey.Image, StringComparison.Ordinal);
    }

    [Fact]
    public void PathsTheGuideReadsInPods_AreUnderAgentDefinitionsPath()
    {
        var text = File.ReadAllText(GuidePath());
        var paths = ConfigsPath().Matches(text).Select(m => m.Value).Distinct().ToList();
        Assert.NotEmpty(paths);
        foreach (var runner in Fleet.Runners)
        {
            var definitions = Fleet.SettingsOf(runner, runner.BotburrowContainers.Single()).AgentDefinitionsPath;
            Assert.All(paths, p => Assert.StartsWith(definitions + "/agents/", p, StringComparison.Ordinal));
        }
    }

    private static string GuidePath() => RepositoryPaths.Shared(Path.Combine("seed", "troubleshooting-guide.md"), "The troubleshooting guide is");

    [GeneratedRegex(@"\s-l\s+([A-Za-z0-9./_-]+=[A-Za-z0-9._-]+)")]
    private static partial Regex LabelFlag();

    [GeneratedRegex(@"\b(deployment|svc)/([a-z0-9-]+)")]
    private static partial Regex TypedName();

    [GeneratedRegex(@"svc/([a-z0-9-]+)\s+\d+:(\d+)")]
    private static partial Regex PortForwardService();

    [GeneratedRegex(@"k8s/[A-Za-z0-9._/-]+\.yaml")]
    private static partial Regex ManifestPath();

    [GeneratedRegex(@"\b(configmap|secret)\s+(?:-n\s+\S+\s+)?(botburrow-[a-z0-9-]+)")]
    private static partial Regex NamedResource();

    [GeneratedRegex(@"\s-n\s+([a-z][a-z0-9-]*)")]
    private static partial Regex NamespaceFlag();

    [GeneratedRegex(@"--from-literal=([A-Z0-9_]+)=")]
    private static partial Regex LiteralKey();

    [GeneratedRegex(@"-n botburrow-agents (runner|coordinator)-xxx -- printenv ([A-Z_]+)")]
    private static partial Regex PrintEnv();

    [GeneratedRegex(@"-n botburrow-agents (?:coordinator|runner)-xxx -- ([a-z-]+)")]
    private static partial Regex PodCommand();

    [GeneratedRegex(@"/configs/agent-definitions/[A-Za-z0-9_./{}-]+")]
    private static partial Regex ConfigsPath();
}
