using Botburrow.Agents.Configuration;
using Botburrow.Deployment.Tests.Manifests;
using k8s.Models;
using Xunit;

namespace Botburrow.Deployment.Tests;

public sealed class ConfigurationTests
{
    private static readonly Fleet Fleet = Fleet.Overlay;

    private static IEnumerable<(Workload Workload, V1Container Container)> BotburrowContainers
        => Fleet.BotburrowWorkloads.SelectMany(w => w.BotburrowContainers.Select(c => (w, c)));

    [Fact]
    public void ConfigMapKeys_AreSettingsOurConfigurationReads()
    {
        var consumed = BotburrowContainers
            .SelectMany(x => x.Container.EnvFrom ?? [])
            .Where(e => e.ConfigMapRef is not null)
            .Select(e => e.ConfigMapRef.Name)
            .ToHashSet();
        Assert.Contains(Fleet.ConfigMapName, consumed);

        foreach (var name in consumed)
        {
            var configMap = Fleet.Get<V1ConfigMap>(name);
            Assert.All(configMap.Data.Keys, key => Assert.True(SettingsCatalog.Find(key) is not null, $"ConfigMap {name} key '{key}' is not a setting Botburrow reads"));
        }
    }

    [Fact]
    public void ConfigMap_UsesBareNamesAndHoldsNoSecrets()
    {
        foreach (var (key, value) in Fleet.Get<V1ConfigMap>(Fleet.ConfigMapName).Data)
        {
            Assert.False(key.StartsWith(SettingNames.Prefix, StringComparison.Ordinal), $"{key}: use the bare name, as the guide does");
            var definition = SettingsCatalog.Find(key)!;
            Assert.Equal(definition.Name, key);
            var secretValue = definition.IsSecret && !(definition.Kind == SettingKind.Url && !value.Contains('@', StringComparison.Ordinal));
            Assert.False(secretValue, $"{key} is a secret and belongs in {Fleet.SecretName}");
        }
    }

    [Fact]
    public void ConfigMap_DoesNotSetPerContainerSettings()
    {
        // METRICS_PORT differs between coordinator (9090) and runners (9091); RUNNER_ID and RUNNER_MODE differ per pod.
        var data = Fleet.Get<V1ConfigMap>(Fleet.ConfigMapName).Data;
        Assert.DoesNotContain(SettingNames.MetricsPort, data.Keys);
        Assert.DoesNotContain(SettingNames.RunnerId, data.Keys);
        Assert.DoesNotContain(SettingNames.RunnerMode, data.Keys);
    }

    [Fact]
    public void EnvVariablesOfBotburrowContainers_AreSettings()
    {
        foreach (var (workload, container) in BotburrowContainers)
        {
            Assert.All(container.Env ?? [], e => Assert.True(SettingsCatalog.Find(e.Name) is not null, $"{workload}/{container.Name}: env {e.Name} is not a setting Botburrow reads"));
        }
    }

    [Fact]
    public void EveryBotburrowContainer_ResolvesValidSettings_WithTheRequiredOnesProvided()
    {
        foreach (var (workload, container) in BotburrowContainers)
        {
            var verb = container.Args[0];
            var settings = Fleet.SettingsOf(workload, container);
            settings.Require(SettingNames.HubUrl, verb);
            settings.Require(SettingNames.RedisUrl, verb);
            settings.Require(SettingNames.HubApiKey, verb);
        }
    }

    [Fact]
    public void HubAndValkeyUrls_AreTheGuidesInClusterAddresses()
    {
        var data = Fleet.Get<V1ConfigMap>(Fleet.ConfigMapName).Data;
        Assert.Equal("http://hub.botburrow.svc.cluster.local:8000", data[SettingNames.HubUrl]);
        var redis = data.TryGetValue(SettingNames.RedisUrl, out var r) ? r : data["VALKEY_URL"];
        Assert.Equal("redis://valkey.botburrow-agents.svc.cluster.local:6379", redis);
    }

    [Fact]
    public void RedisUrl_ResolvesToTheValkeyServiceAndPort()
    {
        var url = new Uri(Fleet.Get<V1ConfigMap>(Fleet.ConfigMapName).Data[SettingNames.RedisUrl]);
        var parts = url.Host.Split('.');
        Assert.Equal(["svc", "cluster", "local"], parts[2..]);
        var service = Fleet.Get<V1Service>(parts[0]);
        Assert.Equal(parts[1], service.Metadata.NamespaceProperty);
        Assert.Contains(service.Spec.Ports, p => p.Port == url.Port);

        var valkey = Assert.Single(Fleet.WorkloadsSelectedBy(service.Spec.Selector));
        Assert.Equal("StatefulSet", valkey.Kind);
        Assert.Equal(service.Metadata.Name, Fleet.Get<V1StatefulSet>(valkey.Name).Spec.ServiceName);
    }

    [Fact]
    public void SecretReferences_NameKeysOfTheSecretTemplate()
    {
        var keys = Fleet.SecretTemplateData.Keys.ToHashSet();
        foreach (var workload in Fleet.Workloads)
        {
            foreach (var container in workload.AllContainers)
            {
                foreach (var variable in container.Env ?? [])
                {
                    if (variable.ValueFrom?.SecretKeyRef is { } reference)
                    {
                        Assert.Equal(Fleet.SecretName, reference.Name);
                        Assert.True(keys.Contains(reference.Key), $"{workload}/{container.Name}: secret key {reference.Key} is not in the template");
                    }
                }

                Assert.All(container.EnvFrom ?? [], e => Assert.True(e.SecretRef is null || e.SecretRef.Name == Fleet.SecretName));
            }
        }
    }

    [Fact]
    public void SecretTemplate_HoldsEveryCredentialAsASecretSetting()
    {
        Assert.Equal(Fleet.SecretName, Fleet.SecretTemplate.Metadata.Name);
        Assert.Equal(Fleet.Namespace, Fleet.SecretTemplate.Metadata.NamespaceProperty);
        string[] expected = ["HUB_API_KEY", "ANTHROPIC_API_KEY", "OPENAI_API_KEY", "GITHUB_PAT", "BRAVE_API_KEY", "ADMIN_TOKEN", "DASHBOARD_TOKEN"];
        Assert.Equal(expected.Order(), Fleet.SecretTemplateData.Keys.Order());
        Assert.All(Fleet.SecretTemplateData, pair =>
        {
            Assert.True(SettingsCatalog.Find(pair.Key) is { IsSecret: true }, $"{pair.Key} is not a secret setting");
            Assert.Equal("", pair.Value);
        });
    }

    [Fact]
    public void SecretTemplate_IsNotAppliedByKustomize()
    {
        // Applying a template with empty values would wipe real credentials on every `kubectl apply -k`.
        Assert.DoesNotContain(Fleet.Objects, o => o.Value is V1Secret);
    }

    [Fact]
    public void HubApiKey_IsRequired_AndOptionalCredentialsAreMarkedOptional()
    {
        foreach (var (workload, container) in BotburrowContainers)
        {
            foreach (var variable in (container.Env ?? []).Where(e => e.ValueFrom?.SecretKeyRef is not null))
            {
                var optional = variable.ValueFrom.SecretKeyRef.Optional == true;
                Assert.True(variable.Name == SettingNames.HubApiKey ? !optional : optional, $"{workload}: {variable.Name} optional={optional}");
            }
        }
    }

    [Fact]
    public void Runners_PassTheirModeAsArgumentAndEnvironment()
    {
        var modes = SettingsCatalog.Find(SettingNames.RunnerMode)!.Choices;
        var runners = Fleet.Runners.ToList();
        Assert.Equal(["runner-exploration", "runner-hybrid", "runner-notification"], runners.Select(r => r.Name).Order());
        foreach (var runner in runners)
        {
            var container = Assert.Single(runner.BotburrowContainers);
            var args = container.Args;
            Assert.Equal(3, args.Count);
            Assert.Equal("runner", args[0]);
            Assert.Equal("--mode", args[1]);
            Assert.Contains(args[2], modes);
            Assert.Equal("runner-" + args[2], runner.Name);

            var environment = Fleet.EnvironmentOf(runner, container);
            Assert.Equal(args[2], environment[SettingNames.RunnerMode]);
            Assert.True(environment.ContainsKey(SettingNames.MaxConcurrentActivations), $"{runner}: MAX_CONCURRENT_ACTIVATIONS is not set");

            var settings = Fleet.SettingsOf(runner, container);
            Assert.Equal(args[2], settings.RunnerMode.ToString(), ignoreCase: true);
            Assert.StartsWith(runner.Name + "-", settings.RunnerId, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void RunnerId_ComesFromThePodName()
    {
        foreach (var runner in Fleet.Runners)
        {
            var container = Assert.Single(runner.BotburrowContainers);
            var runnerId = Assert.Single(container.Env, e => e.Name == SettingNames.RunnerId);
            Assert.Equal("metadata.name", runnerId.ValueFrom?.FieldRef?.FieldPath);
        }
    }

    [Fact]
    public void MetricsPort_EqualsTheContainersMetricsPort_9090ForTheCoordinatorAnd9091ForRunners()
    {
        foreach (var (workload, container) in BotburrowContainers)
        {
            var expected = container.Args[0] == "coordinator" ? 9090 : 9091;
            Assert.Equal(expected, Fleet.SettingsOf(workload, container).MetricsPort);
            Assert.Equal(expected, Assert.Single(container.Ports, p => p.Name == "http-metrics").ContainerPort);
        }
    }

    [Fact]
    public void MetricsBindAddress_IsAllInterfacesInEveryContainer_BecauseProbesAndPrometheusUseThePodIp()
    {
        // The default is loopback (right for `up` on a laptop); in a pod the kubelet and Prometheus come from outside.
        Assert.Equal("127.0.0.1", SettingsCatalog.Find(SettingNames.MetricsBindAddress)!.DefaultValue);
        foreach (var (workload, container) in BotburrowContainers)
        {
            var variable = Assert.Single(container.Env, e => e.Name == SettingNames.MetricsBindAddress);
            Assert.Equal("0.0.0.0", variable.Value);
            Assert.Equal(System.Net.IPAddress.Any, Fleet.SettingsOf(workload, container).MetricsBindAddress);
            Assert.All(
                new[] { container.StartupProbe, container.LivenessProbe, container.ReadinessProbe },
                probe => Assert.Equal("http-metrics", probe?.HttpGet?.Port?.Value));
        }
    }

    [Fact]
    public void Coordinator_ReadsTheDashboardTokenFromTheSecret_AndRunnersDoNot()
    {
        foreach (var (workload, container) in BotburrowContainers)
        {
            var token = (container.Env ?? []).SingleOrDefault(e => e.Name == SettingNames.DashboardToken);
            if (container.Args[0] == "coordinator")
            {
                Assert.NotNull(token);
                Assert.Equal(SettingNames.DashboardToken, token.ValueFrom?.SecretKeyRef?.Key);
            }
            else
            {
                Assert.True(token is null, $"{workload}: runners serve no dashboard, so they need no DASHBOARD_TOKEN");
            }
        }
    }

    [Fact]
    public void TerminationGracePeriod_OutlastsTheDrain()
    {
        foreach (var (workload, container) in BotburrowContainers)
        {
            var drain = Fleet.SettingsOf(workload, container).ShutdownGracePeriod;
            var grace = TimeSpan.FromSeconds(workload.PodSpec.TerminationGracePeriodSeconds ?? 30);
            Assert.True(grace >= drain + TimeSpan.FromSeconds(10), $"{workload}: terminationGracePeriodSeconds {grace.TotalSeconds} must exceed SHUTDOWN_GRACE_PERIOD {drain.TotalSeconds} by at least 10 s");
        }
    }

    [Fact]
    public void Coordinator_RunsTwoReplicasOfTheCoordinatorVerb()
    {
        var coordinator = Fleet.GetWorkload("Deployment", "coordinator");
        Assert.Equal(2, coordinator.Replicas);
        Assert.Equal(["coordinator"], Assert.Single(coordinator.BotburrowContainers).Args);
    }
}
