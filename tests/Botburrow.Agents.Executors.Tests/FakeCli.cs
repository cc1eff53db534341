using System.Text;

namespace Botburrow.Agents.Executors.Tests;

/// <summary>
/// A stand-in for a coding CLI: a bash script on its own PATH directory that records each run (argv, environment,
/// working directory, standard input, pid and the tool's configuration files) and then prints what the test gave
/// it, in the real tool's format, and exits with the given code.
/// </summary>
internal sealed class FakeCli
{
    private FakeCli(string binDirectory, string recordDirectory, string program)
    {
        BinDirectory = binDirectory;
        RecordDirectory = recordDirectory;
        Program = program;
    }

    /// <summary>The directory to put first on PATH.</summary>
    public string BinDirectory { get; }

    public string RecordDirectory { get; }

    public string Program { get; }

    /// <summary>Writes <paramref name="program"/> into <paramref name="root"/>/bin; <paramref name="extra"/> runs (as bash) after the recording, with <c>$run</c> the run's folder.</summary>
    public static FakeCli Create(string root, string program, string extra = "")
    {
        var bin = Path.Combine(root, "bin");
        var record = Path.Combine(root, "record-" + program);
        Directory.CreateDirectory(bin);
        Directory.CreateDirectory(record);
        var script = $$"""
            #!/bin/bash
            rec='{{record}}'
            n=$(ls "$rec" | grep -c '^run-')
            run="$rec/run-$((n+1))"
            mkdir -p "$run"
            printf '%s\0' "$@" > "$run/argv"
            env -0 > "$run/env"
            pwd > "$run/cwd"
            echo $$ > "$run/pid"
            cat > "$run/stdin"
            if [ -d "$PWD/../.botburrow" ]; then cp -r "$PWD/../.botburrow" "$run/botburrow"; fi
            if [ -d "$HOME/.config" ]; then cp -r "$HOME/.config" "$run/home-config"; fi
            {{extra}}
            if [ -f "$rec/output" ]; then cat "$rec/output"; fi
            if [ -f "$rec/stderr" ]; then cat "$rec/stderr" >&2; fi
            exit $(cat "$rec/exit" 2>/dev/null || echo 0)

            """;
        var path = Path.Combine(bin, program);
        File.WriteAllText(path, script.ReplaceLineEndings("\n"));
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return new FakeCli(bin, record, program);
    }

    /// <summary>What the tool prints on standard output (and error), and its exit code.</summary>
    public void Prints(string output, int exitCode = 0, string? stderr = null)
    {
        File.WriteAllText(Path.Combine(RecordDirectory, "output"), output);
        File.WriteAllText(Path.Combine(RecordDirectory, "exit"), exitCode.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (stderr is not null)
        {
            File.WriteAllText(Path.Combine(RecordDirectory, "stderr"), stderr);
        }
    }

    /// <summary>The recorded runs, in order.</summary>
    public IReadOnlyList<FakeCliRun> Runs
        => [.. Directory.GetDirectories(RecordDirectory, "run-*")
            .OrderBy(d => int.Parse(Path.GetFileName(d)[4..], System.Globalization.CultureInfo.InvariantCulture))
            .Select(d => new FakeCliRun(d))];
}

/// <summary>One recorded run of a <see cref="FakeCli"/>.</summary>
internal sealed class FakeCliRun(string directory)
{
    public string Directory { get; } = directory;

    public IReadOnlyList<string> Argv => Read("argv").Split('\0', StringSplitOptions.None)[..^1];

    public IReadOnlyDictionary<string, string> Environment
        => Read("env").Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Select(e => e.Split('=', 2))
            .Where(p => p[0] != "_" && p[0] != "PWD" && p[0] != "SHLVL" && p[0] != "OLDPWD")
            .ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "", StringComparer.Ordinal);

    public string WorkingDirectory => Read("cwd").Trim();

    public string StandardInput => Read("stdin");

    public int Pid => int.Parse(Read("pid").Trim(), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The value after <paramref name="flag"/> in argv.</summary>
    public string After(string flag)
    {
        var argv = Argv;
        var index = argv.ToList().IndexOf(flag);
        return index >= 0 && index + 1 < argv.Count ? argv[index + 1] : throw new InvalidOperationException($"{flag} not in argv: {string.Join(' ', argv)}");
    }

    /// <summary>A copied file (relative to the run folder: botburrow/… or home-config/…).</summary>
    public string File(string relative) => System.IO.File.ReadAllText(Path.Combine(Directory, relative));

    /// <summary>Everything recorded, as one text (to search for secrets).</summary>
    public string Everything()
    {
        var all = new StringBuilder();
        foreach (var file in System.IO.Directory.GetFiles(Directory, "*", SearchOption.AllDirectories))
        {
            all.Append(file).Append('\n').Append(System.IO.File.ReadAllText(file)).Append('\n');
        }

        return all.ToString();
    }

    private string Read(string name) => System.IO.File.ReadAllText(Path.Combine(Directory, name));
}
