using Botburrow.Agents.Configuration;
using Xunit;

namespace Botburrow.Agents.Core.Tests.Configuration;

/// <summary>The one URL masker behind <c>config show</c>, <c>doctor</c>, settings errors and the log formatters.</summary>
public sealed class SecretMaskerTests
{
    [Theory]
    [InlineData("https://user:hunter2@hub.example:8000/", "https://user:****@hub.example:8000/")]
    [InlineData("https://ghp_abc123@github.com/org/defs.git", "https://****@github.com/org/defs.git")]
    [InlineData("https://x-access-token:ghp_abc123@github.com/org/defs.git", "https://x-access-token:****@github.com/org/defs.git")]
    [InlineData("https://user:p@ss:w@rd@host/x", "https://user:****@host/x")]
    [InlineData("ssh://git@github.com/org/defs.git", "ssh://git@github.com/org/defs.git")]
    [InlineData("git@github.com:org/defs.git", "git@github.com:org/defs.git")]
    [InlineData("https://hub.example/api/v1?key=abc&limit=5", "https://hub.example/api/v1?key=****&limit=5")]
    [InlineData("https://llm.example/v1?api_key=a&apikey=b&access_token=c&token=d&password=e&secret=f&sig=g", "https://llm.example/v1?api_key=****&apikey=****&access_token=****&token=****&password=****&secret=****&sig=****")]
    [InlineData("https://blob.example/c/f?sv=2024&X-Amz-Signature=abc&client_secret=s#frag", "https://blob.example/c/f?sv=2024&X-Amz-Signature=****&client_secret=****#frag")]
    [InlineData("https://h.example/?Key=A&monkeyless=1&q=", "https://h.example/?Key=****&monkeyless=1&q=")]
    [InlineData("http://u:pw@h.example?token=t", "http://u:****@h.example?token=****")]
    [InlineData("https://hub.example/api/v1/posts?unread=true", "https://hub.example/api/v1/posts?unread=true")]
    [InlineData("owner/repo", "owner/repo")]
    [InlineData("/srv/definitions", "/srv/definitions")]
    [InlineData("", "")]
    public void MaskUrl_HidesUserInfoSecretsAndSecretQueryValues(string url, string expected)
        => Assert.Equal(expected, SecretMasker.MaskUrl(url));

    [Fact]
    public void MaskUrls_MasksEveryUrlInsideText_AndLeavesTheRestAlone()
    {
        var text = "Cannot clone https://ghp_abc@github.com/org/defs.git (branch main): 401; base 'http://llm:8080/v1?key=k1'. Also see https://example.com/docs.";

        var masked = SecretMasker.MaskUrls(text);

        Assert.Equal("Cannot clone https://****@github.com/org/defs.git (branch main): 401; base 'http://llm:8080/v1?key=****'. Also see https://example.com/docs.", masked);
    }

    [Fact]
    public void MaskUrls_ReturnsTheSameString_WhenThereIsNoUrl()
    {
        const string text = "no url here: user:pw and key=value";

        Assert.Same(text, SecretMasker.MaskUrls(text));
    }

    [Theory]
    [InlineData("key", true)]
    [InlineData("x-api-key", true)]
    [InlineData("subscription-key", true)]
    [InlineData("refresh_token", true)]
    [InlineData("PASSWORD", true)]
    [InlineData("sig", true)]
    [InlineData("page", false)]
    [InlineData("limit", false)]
    [InlineData("unread", false)]
    public void IsSecretParameter_RecognisesSecretLookingNames(string name, bool secret)
        => Assert.Equal(secret, SecretMasker.IsSecretParameter(name));
}
