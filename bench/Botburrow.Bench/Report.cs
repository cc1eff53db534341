using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Botburrow.Bench;

/// <summary>Machine facts, percentiles, and appending a scenario's section to <c>docs/benchmarks.md</c>.</summary>
internal static class Report
{
    public static string Machine => string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessorCount} cores, {MemoryGiB():F1} GiB memory, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}");

    /// <summary>Nearest-rank percentile of <paramref name="values"/> (0 when empty).</summary>
    public static double Percentile(IReadOnlyCollection<double> values, double p)
    {
        if (values.Count == 0)
        {
            return 0;
        }

        var sorted = values.OrderBy(v => v).ToArray();
        var rank = (int)Math.Ceiling(p / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    public static string F(double value, string format = "F1") => value.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>
    /// Appends one section: heading with the date, the description, machine, command, any extra facts, the table,
    /// the result and notes. A smoke run writes to <c>--out</c> or a temporary file, never to the docs.
    /// </summary>
    public static async Task<string> AppendAsync(BenchArgs args, string description, IEnumerable<string> facts, string table, string result, IEnumerable<string>? notes = null)
    {
        var path = args.OutPath ?? (args.Smoke ? Path.Combine(Path.GetTempPath(), $"botburrow-bench-{args.Scenario}-smoke.md") : Path.Combine(FindRoot(), "docs", "benchmarks.md"));
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var sb = new StringBuilder();
        if (!File.Exists(path))
        {
            sb.AppendLine("# Benchmarks");
            sb.AppendLine();
            sb.AppendLine("Speed targets are measured here, never asserted in tests. Each section is appended by the benchmark that produced it.");
        }

        sb.AppendLine();
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"## {args.Scenario} — {TimeProvider.System.GetUtcNow():yyyy-MM-dd HH:mm} UTC{(args.Smoke ? " (smoke run, tiny sizes)" : "")}"));
        sb.AppendLine();
        sb.AppendLine(description);
        sb.AppendLine();
        sb.AppendLine("- machine: " + Machine);
        sb.AppendLine("- command: `" + args.Command + "`");
        foreach (var fact in facts)
        {
            sb.AppendLine("- " + fact);
        }

        sb.AppendLine("- load average when the run ended: " + LoadAverage());
        sb.AppendLine();
        sb.AppendLine(table);
        sb.AppendLine();
        sb.AppendLine("Result: " + result);
        if (notes is not null)
        {
            var list = notes.ToList();
            if (list.Count > 0)
            {
                sb.AppendLine();
                foreach (var note in list)
                {
                    sb.AppendLine("- " + note);
                }
            }
        }

        await File.AppendAllTextAsync(path, sb.ToString());
        Console.WriteLine("appended to " + path);
        return path;
    }

    public static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    public static double MemoryGiB()
    {
        try
        {
            var line = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
            var kb = line is null ? 0 : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
            return kb / 1024 / 1024;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    public static string FindRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "Botburrow.Agents.slnx")))
                {
                    return directory.FullName;
                }
            }
        }

        throw new InvalidOperationException("run from inside the repository");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
