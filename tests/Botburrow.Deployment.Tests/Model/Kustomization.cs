using k8s;

namespace Botburrow.Deployment.Tests.Model;

/// <summary>A <c>kustomization.yaml</c> (Kustomization or Component), with the fields our manifests use.</summary>
internal sealed class Kustomization : IKubernetesObject
{
    public const string KustomizationTypeKey = "kustomize.config.k8s.io/v1beta1/Kustomization";
    public const string ComponentTypeKey = "kustomize.config.k8s.io/v1alpha1/Component";

    public string ApiVersion { get; set; } = "";

    public string Kind { get; set; } = "";

    public string? Namespace { get; set; }

    public List<string> Resources { get; set; } = [];

    public List<string> Components { get; set; } = [];

    public List<KustomizeImage> Images { get; set; } = [];
}
