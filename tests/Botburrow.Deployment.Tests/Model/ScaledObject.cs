using k8s;
using k8s.Models;

namespace Botburrow.Deployment.Tests.Model;

/// <summary>A KEDA <c>keda.sh/v1alpha1</c> ScaledObject, with the fields our manifests use.</summary>
internal sealed class ScaledObject : IKubernetesObject<V1ObjectMeta>
{
    public const string TypeKey = "keda.sh/v1alpha1/ScaledObject";

    public string ApiVersion { get; set; } = "";

    public string Kind { get; set; } = "";

    public V1ObjectMeta Metadata { get; set; } = new();

    public ScaledObjectSpec Spec { get; set; } = new();
}
