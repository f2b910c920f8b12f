using System.CommandLine;
using System.Globalization;
using Recur.Kernels;

namespace Recur.Cli.Bench;

/// <summary>
/// <c>recur bench [--only PATTERN] [--json FILE] [--budget SECONDS] [--memory]</c>: measures the entries of
/// <see cref="BenchEntries"/> on this machine and prints median time, GFLOP/s, % of the FMA peak and bytes allocated.
/// </summary>
public static class BenchCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var only = new Option<string?>("--only") { Description = "Comma-separated entry patterns: a substring, or a glob with * and ?." };
        var json = new Option<string?>("--json") { Description = "Also write the results to this JSON file (atomically)." };
        var budget = new Option<double>("--budget") { Description = "Seconds of timed samples per entry (at least 5 samples are always taken).", DefaultValueFactory = _ => 2.0 };
        var memory = new Option<bool>("--memory") { Description = "Report the process's peak working set (Linux VmHWM) after the run; use with --only for one entry." };
        var list = new Option<bool>("--list") { Description = "List the entry names and exit." };
        var threads = new Option<int>("--threads") { Description = "Most threads one kernel call may use (default: all cores).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var cmd = new Command("bench", "Measure training, inference and streaming speed on this machine.") { only, json, budget, memory, list, threads };
        cmd.SetAction(parse => CliErrors.Run(parse, () =>
        {
            if (parse.GetValue(list))
            {
                foreach (var e in BenchEntries.All) Console.WriteLine(e.Name);
                return 0;
            }
            double seconds = parse.GetValue(budget);
            if (!(seconds > 0 && seconds <= 3600))
                throw new UserErrorException($"--budget must be a number of seconds in (0, 3600], got {seconds.ToString(CultureInfo.InvariantCulture)}.");
            int threadCount = parse.GetValue(threads);
            if (threadCount < 1 || threadCount > 1024) throw new UserErrorException($"--threads must be in [1, 1024], got {threadCount}.");
            KernelThreading.MaxThreads = threadCount;
            var entries = BenchSelection.Select(BenchEntries.All, parse.GetValue(only));
            string? path = parse.GetValue(json);
            if (path is not null) BenchJson.CheckWritable(path);
            return Run(entries, TimeSpan.FromSeconds(seconds), path, parse.GetValue(memory), Console.Out);
        }));
        return cmd;
    }

    /// <summary>Measures <paramref name="entries"/>, prints the table and writes the JSON report when asked.</summary>
    public static int Run(IReadOnlyList<BenchEntry> entries, TimeSpan budget, string? jsonPath, bool memory, TextWriter output)
    {
        output.WriteLine(FormattableString.Invariant(
            $"recur bench: {Environment.ProcessorCount} cores, up to {KernelThreading.MaxThreads} threads per kernel call, Vector{FmaPeak.VectorBits}, {budget.TotalSeconds:0.##} s per entry"));
        var results = new List<BenchResult>();
        double peak = 0;
        output.WriteLine($"{"entry",-36} {"median ms",12} {"GFLOP/s",9} {"% peak",7} {"alloc B",12} {"samples",8}");
        foreach (var entry in entries)
        {
            var r = BenchRunner.Measure(entry, budget);
            results.Add(r);
            if (r.Name == "fma_peak") peak = r.Gflops;
            if (peak == 0) peak = FmaPeak.Measure(Environment.ProcessorCount, TimeSpan.FromMilliseconds(200));
            string percent = r.Gflops > 0 ? (100 * r.Gflops / peak).ToString("0.0", CultureInfo.InvariantCulture) : "-";
            output.WriteLine(FormattableString.Invariant(
                $"{r.Name,-36} {r.MedianMs,12:0.0000} {r.Gflops,9:0.0} {percent,7} {r.AllocatedBytes,12} {r.Repetitions,8}"));
        }
        long? hwm = memory ? PeakWorkingSet() : null;
        if (memory)
        {
            output.WriteLine(hwm is long bytes
                ? FormattableString.Invariant($"peak working set (VmHWM, whole process): {bytes / (1024.0 * 1024.0):0.0} MiB")
                : "peak working set: not available (needs /proc/self/status)");
        }
        if (jsonPath is not null) BenchJson.Write(jsonPath, results, hwm);
        return 0;
    }

    /// <summary>The process's peak resident set size in bytes (VmHWM of /proc/self/status), or null where there is none.</summary>
    public static long? PeakWorkingSet()
    {
        const string file = "/proc/self/status";
        if (!File.Exists(file)) return null;
        foreach (var line in File.ReadLines(file))
        {
            if (!line.StartsWith("VmHWM:", StringComparison.Ordinal)) continue;
            var parts = line["VmHWM:".Length..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return long.Parse(parts[0], CultureInfo.InvariantCulture) * 1024;
        }
        return null;
    }
}
