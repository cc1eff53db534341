using Xunit;

namespace Botburrow.Cli.Tests.Operations;

/// <summary>One <c>botburrow doctor --json</c> run.</summary>
internal sealed record DoctorRun(int ExitCode, IReadOnlyList<Finding> Findings, string Output)
{
    /// <summary>The single finding of <paramref name="check"/> (for <paramref name="subject"/> when given).</summary>
    public Finding One(string check, string? subject = null)
    {
        var matches = Findings.Where(f => f.Check == check && (subject is null || f.Subject == subject)).ToList();
        Assert.True(matches.Count == 1, $"expected one '{check}' finding{(subject is null ? "" : " for " + subject)}, got {matches.Count}:\n{Output}");
        return matches[0];
    }

    public void AssertFails(string check, string? subject, params string[] remedyContains)
    {
        var finding = One(check, subject);
        Assert.True(finding.Status == "fail", $"'{check}' should fail but is {finding.Status}: {finding.Seen}\n{Output}");
        foreach (var text in remedyContains)
        {
            Assert.Contains(text, finding.Remedy, StringComparison.Ordinal);
        }

        Assert.Equal(1, ExitCode);
    }
}
