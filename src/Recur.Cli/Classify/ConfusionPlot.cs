using Recur.IO;
using Recur.Training;
using ScottPlot;

namespace Recur.Cli.Classify;

/// <summary>A confusion matrix as a PNG: true classes down, predicted classes across, each cell's count written in it.</summary>
public static class ConfusionPlot
{
    /// <summary>Draws <paramref name="report"/>'s confusion matrix to <paramref name="path"/> atomically.</summary>
    public static void Write(string path, ClassificationReport report, IReadOnlyList<string> names, string title)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(names);
        int n = names.Count;
        var share = new double[n, n]; // each row as a share of its true class, so rare classes are as visible as common ones
        for (int t = 0; t < n; t++)
        {
            int support = report.Scores[t].Support;
            for (int p = 0; p < n; p++) share[t, p] = support == 0 ? 0 : (double)report.Confusion[t, p] / support;
        }
        var plot = new Plot();
        var map = plot.Add.Heatmap(share);
        map.Colormap = new ScottPlot.Colormaps.Viridis();
        map.Extent = new CoordinateRect(-0.5, n - 0.5, n - 0.5, -0.5);
        for (int t = 0; t < n; t++)
            for (int p = 0; p < n; p++)
            {
                var label = plot.Add.Text(report.Confusion[t, p].ToString(System.Globalization.CultureInfo.InvariantCulture), p, t);
                label.LabelFontColor = share[t, p] > 0.6 ? Colors.Black : Colors.White;
                label.LabelFontSize = n > 12 ? 10 : 16;
                label.LabelAlignment = Alignment.MiddleCenter;
            }
        var ticks = Enumerable.Range(0, n).Select(i => (double)i).ToArray();
        var labels = names.ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks, labels);
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks, labels);
        plot.Axes.SetLimits(-0.5, n - 0.5, n - 0.5, -0.5);
        plot.Add.ColorBar(map).Label = "share of the true class";
        plot.Title(title);
        plot.XLabel("predicted class");
        plot.YLabel("true class");
        int size = Math.Clamp(120 + (60 * n), 420, 1200);
        AtomicFile.Write(path, temp => plot.SavePng(temp, size + 120, size));
    }
}
