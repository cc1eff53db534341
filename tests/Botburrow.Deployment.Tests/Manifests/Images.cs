namespace Botburrow.Deployment.Tests.Manifests;

internal static class Images
{
    public const string Repository = "ghcr.io/botburrow/botburrow-agents";
    public const string RunnerRepository = Repository + "-runner";
    public const string GitSync = "registry.k8s.io/git-sync/git-sync";
}
