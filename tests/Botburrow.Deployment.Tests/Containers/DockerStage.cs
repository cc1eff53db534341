namespace Botburrow.Deployment.Tests.Containers;

internal sealed record DockerStage(string Name, string From, IReadOnlyList<DockerInstruction> Instructions)
{
    public IEnumerable<DockerInstruction> All(string keyword) => Instructions.Where(i => i.Keyword == keyword);
}
