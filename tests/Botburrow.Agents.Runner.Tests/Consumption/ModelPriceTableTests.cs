using Botburrow.Agents.Runner.Consumption;
using Xunit;

namespace Botburrow.Agents.Runner.Tests.Consumption;

public sealed class ModelPriceTableTests
{
    [Theory]
    [InlineData("claude-sonnet-4-20250514", 1_000_000, 1_000_000, 18)]
    [InlineData("claude-sonnet-4-5", 1000, 500, 0.0105)]
    [InlineData("gpt-4o-mini", 2_000_000, 1_000_000, 0.9)]
    [InlineData("gpt-4o-mini-2024-07-18", 1_000_000, 0, 0.15)]
    [InlineData("openai/gpt-4o", 1_000_000, 0, 2.5)]
    public void Cost_UsesLongestPrefix(string model, long input, long output, double expected)
        => Assert.Equal((decimal)expected, ModelPriceTable.Default.Cost(model, input, output));

    [Fact]
    public void UnknownModel_HasNoCost()
        => Assert.Null(ModelPriceTable.Default.Cost("llama3.1:8b", 100, 100));

    [Fact]
    public void File_OverridesAndExtendsDefaults()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, """{"models": {"llama3.1": {"input_per_million": 0.1, "output_per_million": 0.2}, "gpt-4o": {"input_per_million": 1, "output_per_million": 1}}}""");

            var table = ModelPriceTable.LoadWithDefaults(path);

            Assert.Equal(0.3m, table.Cost("llama3.1", 1_000_000, 1_000_000));
            Assert.Equal(2m, table.Cost("gpt-4o", 1_000_000, 1_000_000));
            Assert.Equal(18m, table.Cost("claude-sonnet-4", 1_000_000, 1_000_000));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
