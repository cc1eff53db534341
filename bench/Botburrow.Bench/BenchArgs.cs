using System.Globalization;

namespace Botburrow.Bench;

/// <summary>
/// The command line of one scenario. <c>--smoke</c> runs tiny sizes and writes its section to a temporary file
/// (or <c>--out FILE</c>) instead of <c>docs/benchmarks.md</c>; <c>--count N</c> overrides the scenario's sample count;
/// <c>--baseline DLL</c> also runs the scenario (where it supports it) against another build's <c>botburrow.dll</c>, in
/// the same run; <c>--trace DIR</c> records <c>dotnet-trace</c> profiles of the child processes into DIR.
/// </summary>
internal sealed record BenchArgs
{
    public required string Scenario { get; init; }

    public required IReadOnlyList<string> Raw { get; init; }

    public bool Smoke { get; init; }

    public string? OutPath { get; init; }

    public int? Count { get; init; }

    public string? BaselineCli { get; init; }

    public string? TraceDirectory { get; init; }

    /// <summary>The command as written in the record.</summary>
    public string Command => "dotnet run -c Release --project bench/Botburrow.Bench -- " + string.Join(' ', Raw.Where(a => a != "--out" && (OutPath is null || a != OutPath)));

    public static bool TryParse(string[] args, out BenchArgs parsed, out string error)
    {
        parsed = new BenchArgs { Scenario = args[0], Raw = args };
        error = "";
        for (var i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--smoke":
                    parsed = parsed with { Smoke = true };
                    break;
                case "--out" when i + 1 < args.Length:
                    parsed = parsed with { OutPath = args[++i] };
                    break;
                case "--baseline" when i + 1 < args.Length:
                    parsed = parsed with { BaselineCli = Path.GetFullPath(args[++i]) };
                    break;
                case "--trace" when i + 1 < args.Length:
                    parsed = parsed with { TraceDirectory = Path.GetFullPath(args[++i]) };
                    break;
                case "--count" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count > 0:
                    parsed = parsed with { Count = count };
                    i++;
                    break;
                default:
                    error = $"unknown or incomplete option '{args[i]}'";
                    return false;
            }
        }

        return true;
    }
}
