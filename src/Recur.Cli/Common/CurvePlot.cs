using Recur.IO;
using Recur.Training;
using ScottPlot;

namespace Recur.Cli.Common;

/// <summary>The curves of a run as PNGs: its losses (training and validation) and its other validation metrics, against the step.</summary>
public static class CurvePlot
{
    /// <summary>Draws <c>train_loss</c> and every validation loss of <paramref name="records"/> into <paramref name="path"/> (atomically).</summary>
    public static void WriteLosses(string path, IReadOnlyList<Metrics> records, string title, string unit)
    {
        ArgumentNullException.ThrowIfNull(records);
        var plot = new Plot();
        var names = records.SelectMany(r => r.Names).Distinct().Where(n => n == "train_loss" || (n.StartsWith("val_", StringComparison.Ordinal) && n.EndsWith("loss", StringComparison.Ordinal))).ToList();
        foreach (var name in names) AddCurve(plot, records, name, name == "train_loss" ? "train" : name == "val_loss" ? "validation" : name, markBest: name != "train_loss", min: true);
        Save(plot, path, title, "step", $"loss ({unit})");
    }

    /// <summary>
    /// Draws every validation metric that is not a loss (accuracy, macro-F1) into <paramref name="path"/>; writes
    /// nothing when there is none.
    /// </summary>
    public static void WriteMetrics(string path, IReadOnlyList<Metrics> records, string title)
    {
        ArgumentNullException.ThrowIfNull(records);
        var names = records.SelectMany(r => r.Names).Distinct().Where(n => n.StartsWith("val_", StringComparison.Ordinal) && !n.EndsWith("loss", StringComparison.Ordinal)).ToList();
        if (names.Count == 0) return;
        var plot = new Plot();
        foreach (var name in names) AddCurve(plot, records, name, name[4..].Replace('_', ' '), markBest: true, min: false);
        Save(plot, path, title, "step", "validation metric");
    }

    /// <summary>Titles and labels <paramref name="plot"/> and writes it to <paramref name="path"/> atomically.</summary>
    public static void Save(Plot plot, string path, string title, string xLabel, string yLabel)
    {
        ArgumentNullException.ThrowIfNull(plot);
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        plot.ShowLegend(Alignment.UpperRight);
        AtomicFile.Write(path, temp => plot.SavePng(temp, 900, 540));
    }

    private static void AddCurve(Plot plot, IReadOnlyList<Metrics> records, string name, string label, bool markBest, bool min)
    {
        var points = records.Where(r => double.IsFinite(r.GetValueOrNaN(name))).ToArray();
        if (points.Length == 0) return;
        var s = plot.Add.Scatter(points.Select(r => r["step"]).ToArray(), points.Select(r => r[name]).ToArray());
        s.LegendText = label;
        s.LineWidth = 2;
        s.MarkerSize = points.Length > 60 ? 0 : 5;
        if (!markBest) return;
        var best = min ? points.MinBy(r => r[name])! : points.MaxBy(r => r[name])!;
        var marker = plot.Add.Marker(best["step"], best[name], MarkerShape.OpenCircle, size: 12);
        marker.LegendText = FormattableString.Invariant($"best {best[name]:F3} at step {best["step"]:N0}");
    }
}
