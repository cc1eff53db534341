using System.Text.RegularExpressions;
using Botburrow.Deployment.Tests.Manifests;
using k8s.Models;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace Botburrow.Deployment.Tests;

public sealed partial class VolumeTests
{
    /// <summary>Every flag of git-sync v4 (registry.k8s.io/git-sync/git-sync, `git-sync --help`).</summary>
    private static readonly HashSet<string> GitSyncFlags =
    [
        "repo", "ref", "depth", "submodules", "sparse-checkout-file", "root", "link", "error-file", "period",
        "sync-timeout", "one-time", "sync-on-signal", "max-failures", "touch-file", "add-user", "group-write",
        "stale-worktree-timeout", "exechook-command", "exechook-timeout", "exechook-backoff", "webhook-url",
        "webhook-method", "webhook-success-status", "webhook-timeout", "webhook-backoff", "username", "password",
        "password-file", "ssh", "ssh-key-file", "ssh-known-hosts", "ssh-known-hosts-file", "cookie-file",
        "askpass-url", "git", "git-config", "git-gc", "http-bind", "http-metrics", "http-pprof", "verbose",
    ];

    private static readonly Fleet Fleet = Fleet.Overlay;

    [Fact]
    public void VolumeMounts_NameDefinedVolumes()
    {
        foreach (var workload in Fleet.Workloads)
        {
            var volumes = (workload.PodSpec.Volumes ?? []).Select(v => v.Name).Concat(workload.ClaimTemplateNames).ToHashSet();
            foreach (var container in workload.AllContainers)
            {
                Assert.All(container.VolumeMounts ?? [], m => Assert.True(volumes.Contains(m.Name), $"{workload}/{container.Name} mounts undefined volume '{m.Name}'"));
            }
        }
    }

    [Fact]
    public void ConfigMapVolumes_NameExistingConfigMapsAndKeys()
    {
        foreach (var workload in Fleet.Workloads)
        {
            foreach (var volume in (workload.PodSpec.Volumes ?? []).Where(v => v.ConfigMap is not null))
            {
                var configMap = Fleet.Find<V1ConfigMap>(volume.ConfigMap.Name);
                Assert.True(configMap is not null, $"{workload}: volume {volume.Name} uses missing ConfigMap {volume.ConfigMap.Name}");
                Assert.All(volume.ConfigMap.Items ?? [], i => Assert.Contains(i.Key, configMap.Data.Keys));
            }
        }
    }

    [Fact]
    public void NoMount_HidesAnotherMountOfTheSameContainer()
    {
        // The original mounted the definitions volume inside the path its clone wrote to, hiding every agent.
        foreach (var workload in Fleet.Workloads)
        {
            foreach (var container in workload.AllContainers)
            {
                var paths = (container.VolumeMounts ?? []).Select(m => m.MountPath.TrimEnd('/') + "/").ToList();
                foreach (var outer in paths)
                {
                    Assert.DoesNotContain(paths, inner => inner != outer && inner.StartsWith(outer, StringComparison.Ordinal));
                }
            }
        }
    }

    [Fact]
    public void EveryBotburrowPod_HasAGitSyncSidecar_OfVersion4_WithKnownFlags()
    {
        foreach (var workload in Fleet.BotburrowWorkloads)
        {
            var gitSync = Assert.Single(workload.GitSyncContainers);
            Assert.StartsWith("v4.", ImageReference.Split(gitSync.Image).Tag, StringComparison.Ordinal);
            var flags = ParseFlags(gitSync);
            Assert.All(flags.Keys, f => Assert.True(GitSyncFlags.Contains(f), $"{workload}: git-sync has no flag --{f}"));
            Assert.Contains("repo", flags.Keys);
            Assert.Contains("ref", flags.Keys);
            Assert.Contains("period", flags.Keys);

            // $(VAR) in args is expanded by Kubernetes only from the container's own env.
            var defined = (gitSync.Env ?? []).Select(e => e.Name).ToHashSet();
            foreach (var arg in gitSync.Args)
            {
                Assert.All(VariableReference().Matches(arg), m => Assert.Contains(m.Groups[1].Value, defined));
            }

            // Resolvable values from the agent-definitions-sync ConfigMap.
            var environment = Fleet.EnvironmentOf(workload, gitSync);
            Assert.False(string.IsNullOrEmpty(environment["GITSYNC_REPO"]));
            Assert.False(string.IsNullOrEmpty(environment["GITSYNC_REF"]));
        }
    }

    [Fact]
    public void GitSyncCheckout_LandsExactlyAtAgentDefinitionsPath()
    {
        foreach (var workload in Fleet.BotburrowWorkloads)
        {
            var gitSync = Assert.Single(workload.GitSyncContainers);
            var flags = ParseFlags(gitSync);
            var root = flags["root"];
            var link = flags["link"];
            var linkPath = link.StartsWith('/') ? link : root.TrimEnd('/') + "/" + link;

            // The volume git-sync writes its root to...
            var gitSyncMount = Assert.Single(gitSync.VolumeMounts, m => root == m.MountPath || root.StartsWith(m.MountPath.TrimEnd('/') + "/", StringComparison.Ordinal));
            Assert.NotEqual(true, gitSyncMount.ReadOnlyProperty);
            Assert.StartsWith(root, linkPath, StringComparison.Ordinal);

            foreach (var container in workload.BotburrowContainers)
            {
                // ...is mounted in the app so that the same link appears at AGENT_DEFINITIONS_PATH.
                var appMount = Assert.Single(container.VolumeMounts, m => m.Name == gitSyncMount.Name);
                var relative = linkPath[gitSyncMount.MountPath.TrimEnd('/').Length..];
                var seenByApp = appMount.MountPath.TrimEnd('/') + relative;
                var definitionsPath = Fleet.SettingsOf(workload, container).AgentDefinitionsPath;
                Assert.Equal(definitionsPath, seenByApp);
                Assert.Equal("/configs/agent-definitions", definitionsPath);
            }
        }
    }

    [Fact]
    public void GitSync_IsANativeSidecar_ThatGatesStartupOnTheFirstSync()
    {
        foreach (var workload in Fleet.BotburrowWorkloads)
        {
            var gitSync = Assert.Single(workload.PodSpec.InitContainers ?? [], c => workload.GitSyncContainers.Contains(c));
            Assert.Equal("Always", gitSync.RestartPolicy);
            var bind = ParseFlags(gitSync)["http-bind"];
            var port = int.Parse(bind[(bind.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal("/", gitSync.StartupProbe?.HttpGet?.Path);
            var probePort = gitSync.StartupProbe!.HttpGet.Port.Value;
            Assert.Contains(gitSync.Ports, p => p.ContainerPort == port && (p.Name == probePort || p.ContainerPort.ToString(System.Globalization.CultureInfo.InvariantCulture) == probePort));
        }
    }

    [Fact]
    public void PermissionsFile_IsMountedAtAgentPermissionsPath()
    {
        foreach (var workload in Fleet.BotburrowWorkloads)
        {
            var volume = Assert.Single(workload.PodSpec.Volumes, v => v.ConfigMap?.Name == "agent-permissions");
            foreach (var container in workload.BotburrowContainers)
            {
                var mount = Assert.Single(container.VolumeMounts, m => m.Name == volume.Name);
                var path = Fleet.SettingsOf(workload, container).AgentPermissionsPath;
                Assert.NotNull(path);
                var key = mount.SubPath is { Length: > 0 } subPath ? subPath : path[(mount.MountPath.TrimEnd('/').Length + 1)..];
                var item = volume.ConfigMap.Items?.SingleOrDefault(i => i.Path == key);
                Assert.Equal(path, mount.SubPath is { Length: > 0 } ? mount.MountPath : mount.MountPath.TrimEnd('/') + "/" + key);
                Assert.Contains(item?.Key ?? key, Fleet.Get<V1ConfigMap>("agent-permissions").Data.Keys);
            }
        }
    }

    [Fact]
    public void PermissionsYaml_HasAgentsAndDefault_WithWellFormedGrants()
    {
        var text = Fleet.Get<V1ConfigMap>("agent-permissions").Data["permissions.yaml"];
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        Assert.Equal(["agents", "default"], root.Children.Keys.Select(k => k.ToString()).Order());

        var policies = ((YamlMappingNode)root["agents"]).Children.Select(c => ((YamlMappingNode)c.Value, c.Key.ToString())).Append(((YamlMappingNode)root["default"], "default"));
        foreach (var (policy, name) in policies)
        {
            foreach (var (key, value) in policy.Children)
            {
                Assert.Contains(key.ToString(), new[] { "allowed_grants", "denied_grants" });
                Assert.All((YamlSequenceNode)value, g => Assert.Matches(GrantPattern(), g.ToString()));
            }

            Assert.True(policy.Children.ContainsKey("allowed_grants"), $"{name} has no allowed_grants");
        }
    }

    [Fact]
    public void Valkey_KeepsItsDataOnAVolumeClaim()
    {
        var valkey = Fleet.GetWorkload("StatefulSet", "valkey");
        var container = Assert.Single(valkey.PodSpec.Containers);
        var data = Assert.Single(container.VolumeMounts);
        Assert.Contains(data.Name, valkey.ClaimTemplateNames);
        Assert.Contains("--appendonly", container.Args);
        Assert.Contains("--dir", container.Args);
        Assert.Equal(data.MountPath, container.Args[container.Args.IndexOf("--dir") + 1]);
    }

    private static Dictionary<string, string> ParseFlags(V1Container container)
        => (container.Args ?? []).Select(a =>
        {
            Assert.StartsWith("--", a, StringComparison.Ordinal);
            var parts = a[2..].Split('=', 2);
            return (Name: parts[0], Value: parts.Length > 1 ? parts[1] : "true");
        }).ToDictionary(p => p.Name, p => p.Value);

    [GeneratedRegex(@"\$\(([A-Za-z_][A-Za-z0-9_]*)\)")]
    private static partial Regex VariableReference();

    [GeneratedRegex(@"^(\*|[a-z0-9_-]+:(\*|[a-z0-9_-]+)(:(\*|[a-z0-9_./-]+))?)$")]
    private static partial Regex GrantPattern();
}
