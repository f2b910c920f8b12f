using System.Globalization;
using Recur.Cli.Common;
using Recur.Training;
using ScottPlot;

namespace Recur.Cli.CharLm;

/// <summary>Options of <c>recur charlm compare</c>.</summary>
/// <param name="Runs">Run folders or metrics.jsonl files, each optionally followed by =LABEL.</param>
/// <param name="Output">The PNG to write (atomically).</param>
/// <param name="ByStep">Plot against the step instead of the elapsed time.</param>
/// <param name="Target">A validation loss to report the first time each run reached (nats per character), or null.</param>
public sealed record CharLmCompareOptions(IReadOnlyList<string> Runs, string Output, bool ByStep, double? Target);

/// <summary>
/// <c>recur charlm compare</c>: the validation curves of several runs in one PNG and a table of what each reached.
/// Any metrics.jsonl with the keys step, val_loss and elapsed_s works, so a run of bench/charlm_torch.py compares
/// directly with a Recur run.
/// </summary>
public static class CharLmCompare
{
    /// <summary>Reads the runs, writes the plot, prints the table; returns the exit code.</summary>
    public static int Run(CharLmCompareOptions options, TextWriter output)
    {
        if (options.Runs.Count == 0) throw new UserErrorException("give at least one run folder or metrics.jsonl file to compare.");
        if (!options.Output.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
            throw new UserErrorException($"--out must name a .png file, got '{options.Output}'.");
        if (options.Target is { } t && !(t > 0 && double.IsFinite(t)))
            throw new UserErrorException($"--target must be a positive number of nats per character, got {t.ToString(CultureInfo.InvariantCulture)}.");
        var runs = options.Runs.Select(Load).ToList();

        var plot = new Plot();
        foreach (var run in runs)
        {
            var xs = run.Val.Select(r => options.ByStep ? r.Step : r.ElapsedSeconds / 60).ToArray();
            var line = plot.Add.Scatter(xs, run.Val.Select(r => r.ValLoss).ToArray());
            line.LegendText = run.Label;
            line.LineWidth = 2;
            line.MarkerSize = run.Val.Count > 60 ? 0 : 4;
        }
        if (options.Target is { } target)
        {
            var level = plot.Add.HorizontalLine(target);
            level.LinePattern = LinePattern.Dashed;
            level.LegendText = FormattableString.Invariant($"target {target:F2}");
        }
        CurvePlot.Save(plot, options.Output, "validation loss", options.ByStep ? "step" : "minutes of training (evaluations included)", "loss (nats per character)");

        output.WriteLine(FormattableString.Invariant($"{"run",-28} {"steps",7} {"minutes",8} {"chars/s",8} {"best val",9} {"at step",8} {"at min",7}{(options.Target is { } tt ? $"  first <= {tt:F2}" : "")}"));
        foreach (var run in runs)
        {
            var last = run.Records[^1];
            double meanSpeed = run.Records.Where(r => r.CharsPerSecond > 0).Select(r => r.CharsPerSecond).DefaultIfEmpty(0).Average();
            string best = run.Val.MinBy(r => r.ValLoss) is { } b
                ? FormattableString.Invariant($"{b.ValLoss,9:F3} {b.Step,8:N0} {b.ElapsedSeconds / 60,7:F1}")
                : FormattableString.Invariant($"{"-",9} {"-",8} {"-",7}");
            string reached = "";
            if (options.Target is { } goal)
            {
                var first = run.Val.FirstOrDefault(r => r.ValLoss <= goal);
                reached = first is null ? "  not reached" : FormattableString.Invariant($"  step {first.Step:N0}, {first.ElapsedSeconds / 60:F1} min");
            }
            output.WriteLine(FormattableString.Invariant($"{Shorten(run.Label, 28),-28} {last.Step,7:N0} {last.ElapsedSeconds / 60,8:F1} {meanSpeed / 1000,7:F1}k {best}{reached}"));
        }
        output.WriteLine($"Plot: {options.Output}");
        return 0;
    }

    /// <summary>One evaluation of a run: what the comparison reads of it.</summary>
    private sealed record EvalRecord(long Step, double ValLoss, double CharsPerSecond, double ElapsedSeconds);

    /// <summary>A run's label, all its records, and those with a validation loss.</summary>
    private sealed record RunMetrics(string Label, List<EvalRecord> Records, List<EvalRecord> Val);

    private static RunMetrics Load(string spec)
    {
        int eq = spec.LastIndexOf('=');
        string path = eq > 0 ? spec[..eq] : spec;
        string file = Directory.Exists(path) ? Path.Combine(path, "metrics.jsonl") : path;
        if (!File.Exists(file))
            throw new UserErrorException(Directory.Exists(path) ? $"'{path}' has no metrics.jsonl: is it a training run folder?" : $"'{path}' does not exist.");
        var records = MetricsLog.Read(file)
            .Select(m => new EvalRecord((long)m["step"], m.GetValueOrNaN("val_loss"), m.GetValueOrNaN("chars_per_s"), m.GetValueOrNaN("elapsed_s"))).ToList();
        if (records.Count == 0) throw new UserErrorException($"'{file}' holds no evaluation records.");
        string label = eq > 0 ? spec[(eq + 1)..] : Path.GetFileName(Path.TrimEndingDirectorySeparator(Directory.Exists(path) ? path : Path.GetDirectoryName(Path.GetFullPath(file))!));
        return new RunMetrics(label, records, records.Where(r => double.IsFinite(r.ValLoss)).ToList());
    }

    private static string Shorten(string text, int width) => text.Length <= width ? text : text[..(width - 1)] + "~";
}
