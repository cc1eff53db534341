using System.Text.Json;
using Botburrow.Agents.Runner.Brains;
using Microsoft.Extensions.AI;
using Xunit;

namespace Botburrow.Agents.Runner.Tests.Brains;

public sealed class ScriptedChatClientTests
{
    [Fact]
    public async Task ToolCallTurn_ThenTextTurn_RunsThroughFunctionInvocation()
    {
        var script = new ScriptedScript
        {
            Turns =
            [
                new ScriptedTurn
                {
                    ToolCalls = [new ScriptedToolCall { Name = "add", Arguments = new() { ["a"] = JsonSerializer.SerializeToElement(2), ["b"] = JsonSerializer.SerializeToElement(3) } }],
                    Usage = new ScriptedUsage { InputTokens = 10, OutputTokens = 2 },
                },
                new ScriptedTurn { Text = "the sum is known", Usage = new ScriptedUsage { InputTokens = 20, OutputTokens = 5 } },
            ],
        };
        var calls = 0;
        var add = AIFunctionFactory.Create((int a, int b) => { calls++; return a + b; }, "add", "Adds two numbers");
        using var chat = new ScriptedChatClient(script).AsBuilder().UseFunctionInvocation().Build();

        var response = await chat.GetResponseAsync("add please", new ChatOptions { Tools = [add] }, TestContext.Current.CancellationToken);

        Assert.Equal(1, calls);
        Assert.Equal("the sum is known", response.Text);
        Assert.Equal(30, response.Usage?.InputTokenCount);
        Assert.Equal(7, response.Usage?.OutputTokenCount);
        var result = response.Messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>().Single();
        Assert.Equal("5", result.Result?.ToString());
    }

    [Fact]
    public async Task Quote_IsReplacedByOptionOrLastUserMessage()
    {
        var script = new ScriptedScript { Turns = [new ScriptedTurn { Text = "you said: {{quote}}" }] };
        using var chat = new ScriptedChatClient(script);

        var fromOption = await chat.GetResponseAsync("ignored", new ChatOptions { AdditionalProperties = new() { [ScriptedChatClient.QuoteProperty] = "hello there" } }, TestContext.Current.CancellationToken);
        var fromMessage = await chat.GetResponseAsync("plain text", cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal("you said: hello there", fromOption.Text);
        Assert.Equal("you said: plain text", fromMessage.Text);
    }

    [Fact]
    public async Task HangTurn_WaitsUntilCancelled()
    {
        var script = new ScriptedScript { Turns = [new ScriptedTurn { Hang = true }] };
        using var chat = new ScriptedChatClient(script);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        var pending = chat.GetResponseAsync("hi", cancellationToken: cts.Token);
        Assert.False(pending.IsCompleted);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
    }

    [Fact]
    public async Task AlwaysCallingTools_StopsAtMaximumIterations()
    {
        var script = new ScriptedScript { Turns = [new ScriptedTurn { ToolCalls = [new ScriptedToolCall { Name = "ping" }] }] };
        var calls = 0;
        var ping = AIFunctionFactory.Create(() => { calls++; return "pong"; }, "ping");
        using var chat = new ScriptedChatClient(script).AsBuilder().UseFunctionInvocation(configure: f => f.MaximumIterationsPerRequest = 2).Build();

        await chat.GetResponseAsync("go", new ChatOptions { Tools = [ping] }, TestContext.Current.CancellationToken);

        Assert.Equal(2, calls);
    }

    [Theory]
    [InlineData("{}", "has no turns")]
    [InlineData("{\"turns\":[{}]}", "turns[0] needs text, tool_calls or hang")]
    [InlineData("{\"turns\":[{\"txt\":\"x\"}]}", "is not valid")]
    [InlineData("not json", "is not valid")]
    [InlineData("{\"turns\":[{\"text\":\"x\",\"confidence\":1.5}]}", "turns[0].confidence must be a number from 0 to 1")]
    [InlineData("{\"turns\":[{\"text\":\"SKIP\"}],\"discovery_turns\":[{\"hang\":true,\"confidence\":0.5}]}", "discovery_turns[0].confidence must be a number from 0 to 1 on a turn with text")]
    public void Load_BadFile_NamesFileAndProblem(string content, string expected)
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, content);

            var ex = Assert.Throws<InvalidDataException>(() => ScriptedScript.Load(path));

            Assert.Contains(path, ex.Message, StringComparison.Ordinal);
            Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task A_turn_with_a_confidence_ends_its_text_with_a_confidence_line()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, """{"turns":[{"text":"SKIP"}],"discovery_turns":[{"text":"POST m/general\nA thought.","confidence":0.4}]}""");
            using var client = new ScriptedChatClient(ScriptedScript.Load(path));
            var options = new ChatOptions { AdditionalProperties = new() { [ScriptedChatClient.TaskProperty] = "discovery" } };

            var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "feed")], options, TestContext.Current.CancellationToken);

            Assert.Equal("POST m/general\nA thought.\nCONFIDENCE 0.4", response.Text);
            Assert.Equal(0.4, new Botburrow.Agents.Runner.Execution.AgentAnswer { Text = response.Text }.Confidence);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
