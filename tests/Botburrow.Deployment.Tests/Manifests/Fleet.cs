using Botburrow.Agents.Configuration;
using k8s;
using k8s.Models;

namespace Botburrow.Deployment.Tests.Manifests;

/// <summary>The objects <c>kubectl apply -k k8s/apexalgo-iad/</c> creates, plus the Secret template.</summary>
internal sealed class Fleet
{
    public const string Namespace = "botburrow-agents";
    public const string ConfigMapName = "botburrow-agents-config";
    public const string SecretName = "botburrow-agents-secrets";

    private static readonly Lazy<Fleet> LazyOverlay = new(() => new Fleet(Kustomize.Render(ManifestLoader.OverlayDirectory)));

    private static readonly Lazy<Fleet> LazyOverlayWithKeda = new(() => new Fleet([.. Kustomize.Render(ManifestLoader.OverlayDirectory), .. Kustomize.Render(ManifestLoader.KedaComponentDirectory)]));

    private Fleet(IReadOnlyList<LoadedObject> objects)
    {
        Objects = objects;
        Workloads = [.. objects.Select(Workload.From).OfType<Workload>()];
        SecretTemplate = ManifestLoader.Load(ManifestLoader.SecretTemplatePath).Select(o => o.Value).OfType<V1Secret>().Single();
    }

    public static Fleet Overlay => LazyOverlay.Value;

    /// <summary>The overlay with the opt-in KEDA component added (<c>components: [../components/keda]</c>).</summary>
    public static Fleet OverlayWithKeda => LazyOverlayWithKeda.Value;

    public IReadOnlyList<LoadedObject> Objects { get; }

    public IReadOnlyList<Workload> Workloads { get; }

    public V1Secret SecretTemplate { get; }

    public IEnumerable<Workload> BotburrowWorkloads => Workloads.Where(w => w.BotburrowContainers.Any());

    public IEnumerable<Workload> Runners => Workloads.Where(w => w.PodLabels.TryGetValue("app.kubernetes.io/component", out var c) && c == "runner");

    public IEnumerable<T> All<T>() => Objects.Select(o => o.Value).OfType<T>();

    public T Get<T>(string name)
        where T : IMetadata<V1ObjectMeta>
    {
        var matches = All<T>().Where(o => o.Metadata.Name == name).ToList();
        return matches.Count == 1 ? matches[0] : throw new InvalidOperationException($"expected one {typeof(T).Name} named '{name}', found {matches.Count}");
    }

    public T? Find<T>(string name)
        where T : class, IMetadata<V1ObjectMeta>
        => All<T>().SingleOrDefault(o => o.Metadata.Name == name);

    public Workload GetWorkload(string kind, string name)
        => Workloads.SingleOrDefault(w => w.Kind == kind && w.Name == name) ?? throw new InvalidOperationException($"no {kind}/{name}");

    public IReadOnlyList<Workload> WorkloadsSelectedBy(V1LabelSelector selector) => [.. Workloads.Where(w => LabelSelectors.Matches(selector, w.PodLabels))];

    public IReadOnlyList<Workload> WorkloadsSelectedBy(IDictionary<string, string> selector) => [.. Workloads.Where(w => LabelSelectors.Matches(selector, w.PodLabels))];

    public IDictionary<string, string> SecretTemplateData
        => SecretTemplate.StringData ?? SecretTemplate.Data?.ToDictionary(p => p.Key, p => System.Text.Encoding.UTF8.GetString(p.Value)) ?? new Dictionary<string, string>();

    /// <summary>
    /// The environment a container starts with: envFrom, then env (later wins, as in Kubernetes).
    /// Secret values from the template are replaced by a placeholder so required keys count as set.
    /// </summary>
    public Dictionary<string, string?> EnvironmentOf(Workload workload, V1Container container)
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var source in container.EnvFrom ?? [])
        {
            if (source.ConfigMapRef is { } configMapRef)
            {
                var configMap = Find<V1ConfigMap>(configMapRef.Name);
                if (configMap is null && configMapRef.Optional != true)
                {
                    throw new InvalidOperationException($"{workload}/{container.Name}: envFrom ConfigMap '{configMapRef.Name}' does not exist");
                }

                foreach (var pair in configMap?.Data ?? new Dictionary<string, string>())
                {
                    result[(source.Prefix ?? "") + pair.Key] = pair.Value;
                }
            }

            if (source.SecretRef is { } secretRef)
            {
                if (secretRef.Name != SecretName)
                {
                    throw new InvalidOperationException($"{workload}/{container.Name}: envFrom Secret '{secretRef.Name}' has no template");
                }

                foreach (var key in SecretTemplateData.Keys)
                {
                    result[(source.Prefix ?? "") + key] = "secret-" + key;
                }
            }
        }

        foreach (var variable in container.Env ?? [])
        {
            result[variable.Name] = ValueOf(workload, container, variable);
        }

        return result;
    }

    /// <summary>The settings a botburrow container resolves, with <c>--mode</c> applied as a flag.</summary>
    public BotburrowSettings SettingsOf(Workload workload, V1Container container)
    {
        var flags = new Dictionary<string, string?>();
        var args = container.Args ?? [];
        var mode = args.ToList().IndexOf("--mode");
        if (mode >= 0 && mode + 1 < args.Count)
        {
            flags[SettingNames.RunnerMode] = args[mode + 1];
        }

        return SettingsLoader.Load(EnvironmentOf(workload, container), flags);
    }

    private string? ValueOf(Workload workload, V1Container container, V1EnvVar variable)
    {
        if (variable.ValueFrom is null)
        {
            return variable.Value;
        }

        if (variable.ValueFrom.ConfigMapKeyRef is { } configMapKey)
        {
            var configMap = Find<V1ConfigMap>(configMapKey.Name);
            if (configMap?.Data is { } data && data.TryGetValue(configMapKey.Key, out var value))
            {
                return value;
            }

            return configMapKey.Optional == true
                ? null
                : throw new InvalidOperationException($"{workload}/{container.Name}: env {variable.Name} refers to missing ConfigMap key {configMapKey.Name}/{configMapKey.Key}");
        }

        if (variable.ValueFrom.SecretKeyRef is { } secretKey)
        {
            if (secretKey.Name == SecretName && SecretTemplateData.ContainsKey(secretKey.Key))
            {
                return "secret-" + secretKey.Key;
            }

            return secretKey.Optional == true
                ? null
                : throw new InvalidOperationException($"{workload}/{container.Name}: env {variable.Name} refers to missing Secret key {secretKey.Name}/{secretKey.Key}");
        }

        if (variable.ValueFrom.FieldRef is { FieldPath: "metadata.name" })
        {
            return workload.Name + "-5d8f9c7b4-x2k9p";
        }

        throw new InvalidOperationException($"{workload}/{container.Name}: env {variable.Name} uses an unsupported valueFrom");
    }
}
