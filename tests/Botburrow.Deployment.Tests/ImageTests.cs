using Botburrow.Deployment.Tests.Containers;
using Botburrow.Deployment.Tests.Manifests;
using Xunit;

namespace Botburrow.Deployment.Tests;

public sealed class ImageTests
{
    private static readonly Fleet Fleet = Fleet.Overlay;

    [Fact]
    public void Coordinator_UsesTheImage_AndRunnersItsRunnerVariant_WithOneTag()
    {
        var images = Fleet.BotburrowWorkloads.SelectMany(w => w.BotburrowContainers.Select(c => (Workload: w, Image: ImageReference.Split(c.Image)))).ToList();
        Assert.All(images, x => Assert.Equal(Fleet.Runners.Contains(x.Workload) ? Images.RunnerRepository : Images.Repository, x.Image.Name));
        var tag = Assert.Single(images.Select(x => x.Image.Tag).Distinct());
        Assert.Matches(@"^\d+\.\d+\.\d+", tag);
    }

    [Fact]
    public void EveryImage_IsPinned()
    {
        foreach (var workload in Fleet.Workloads)
        {
            foreach (var container in workload.AllContainers)
            {
                var (_, tag) = ImageReference.Split(container.Image);
                Assert.False(string.IsNullOrEmpty(tag) || tag == "latest", $"{workload}/{container.Name}: image {container.Image} is not pinned");
                Assert.Matches(@"\d+\.\d+", tag);
            }
        }
    }

    [Fact]
    public void KustomizeImageEntries_NameImagesTheBaseUses()
    {
        var used = Kustomize.Render(ManifestLoader.BaseDirectory)
            .Select(Workload.From).OfType<Workload>()
            .SelectMany(w => w.AllContainers).Select(c => ImageReference.Split(c.Image).Name).ToHashSet();
        var overlay = ManifestLoader.LoadKustomization(ManifestLoader.OverlayDirectory);
        Assert.NotEmpty(overlay.Images);
        Assert.All(overlay.Images, i => Assert.Contains(i.Name, used));
    }

    [Fact]
    public void PodsRunAsTheImagesNonRootUser()
    {
        foreach (var workload in Fleet.BotburrowWorkloads)
        {
            Assert.True(workload.PodSpec.SecurityContext?.RunAsNonRoot, $"{workload}: runAsNonRoot");
            Assert.Equal(Dockerfile.Load().UserOf("runtime"), workload.PodSpec.SecurityContext!.RunAsUser?.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.All(workload.AllContainers, c => Assert.False(c.SecurityContext?.AllowPrivilegeEscalation ?? true, $"{workload}/{c.Name}: allowPrivilegeEscalation"));
        }
    }

    [Fact]
    public void Pods_UseTheServiceAccountWithoutAnApiToken()
    {
        var account = Fleet.Get<k8s.Models.V1ServiceAccount>("botburrow-agents");
        Assert.False(account.AutomountServiceAccountToken);
        Assert.Contains(account.ImagePullSecrets, s => s.Name == "ghcr-auth");
        Assert.All(Fleet.Workloads, w => Assert.Equal("botburrow-agents", w.PodSpec.ServiceAccountName));
        Assert.DoesNotContain(Fleet.Objects, o => o.Kind is "ClusterRole" or "ClusterRoleBinding");
    }
}
