using System.Globalization;
using Recur.IO;
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
        foreach (var (label, records) in runs)
        {
            var val = records.Where(r => double.IsFinite(r.ValLoss)).ToArray();
            var xs = val.Select(r => options.ByStep ? r.Step : r.ElapsedSeconds / 60).ToArray();
            var line = plot.Add.Scatter(xs, val.Select(r => r.ValLoss).ToArray());
            line.LegendText = label;
            line.LineWidth = 2;
            line.MarkerSize = val.Length > 60 ? 0 : 4;
        }
        if (options.Target is { } target)
        {
            var level = plot.Add.HorizontalLine(target);
            level.LinePattern = LinePattern.Dashed;
            level.LegendText = FormattableString.Invariant($"target {target:F2}");
        }
        plot.Title("validation loss");
        plot.XLabel(options.ByStep ? "step" : "minutes of training (evaluations included)");
        plot.YLabel("loss (nats per character)");
        plot.ShowLegend(Alignment.UpperRight);
        AtomicFile.Write(options.Output, temp => plot.SavePng(temp, 900, 540));

        output.WriteLine(FormattableString.Invariant($"{"run",-28} {"steps",7} {"minutes",8} {"chars/s",8} {"best val",9} {"at step",8} {"at min",7}{(options.Target is { } tt ? $"  first <= {tt:F2}" : "")}"));
        foreach (var (label, records) in runs)
        {
            var val = records.Where(r => double.IsFinite(r.ValLoss)).ToList();
            var last = records[^1];
            var best = val.MinBy(r => r.ValLoss);
            double meanSpeed = records.Where(r => r.CharsPerSecond > 0).Select(r => r.CharsPerSecond).DefaultIfEmpty(0).Average();
            string reached = "";
            if (options.Target is { } goal)
            {
                var first = val.FirstOrDefault(r => r.ValLoss <= goal);
                reached = first is null ? "  not reached" : FormattableString.Invariant($"  step {first.Step:N0}, {first.ElapsedSeconds / 60:F1} min");
            }
            output.WriteLine(FormattableString.Invariant(
                $"{Shorten(label, 28),-28} {last.Step,7:N0} {last.ElapsedSeconds / 60,8:F1} {meanSpeed / 1000,7:F1}k {(best is null ? "-" : best.ValLoss.ToString("F3", CultureInfo.InvariantCulture)),9} {(best is null ? "-" : best.Step.ToString("N0", CultureInfo.InvariantCulture)),8} {(best is null ? "-" : (best.ElapsedSeconds / 60).ToString("F1", CultureInfo.InvariantCulture)),7}{reached}"));
        }
        output.WriteLine($"Plot: {options.Output}");
        return 0;
    }

    private static (string Label, List<EvalRecord> Records) Load(string spec)
    {
        int eq = spec.LastIndexOf('=');
        string path = eq > 0 ? spec[..eq] : spec;
        string file = Directory.Exists(path) ? Path.Combine(path, "metrics.jsonl") : path;
        if (!File.Exists(file))
            throw new UserErrorException(Directory.Exists(path) ? $"'{path}' has no metrics.jsonl: is it a training run folder?" : $"'{path}' does not exist.");
        var records = MetricsLog.Read(file);
        if (records.Count == 0) throw new UserErrorException($"'{file}' holds no evaluation records.");
        string label = eq > 0 ? spec[(eq + 1)..] : Path.GetFileName(Path.TrimEndingDirectorySeparator(Directory.Exists(path) ? path : Path.GetDirectoryName(Path.GetFullPath(file))!));
        return (label, records);
    }

    private static string Shorten(string text, int width) => text.Length <= width ? text : text[..(width - 1)] + "~";
}
