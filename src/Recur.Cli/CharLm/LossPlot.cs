using Recur.IO;
using Recur.Training;
using ScottPlot;

namespace Recur.Cli.CharLm;

/// <summary>The loss curves of a run (training and validation, nats per character, against the step) as a PNG.</summary>
public static class LossPlot
{
    /// <summary>Draws <paramref name="records"/> and writes the PNG to <paramref name="path"/> atomically.</summary>
    public static void Write(string path, IReadOnlyList<EvalRecord> records, string title)
    {
        ArgumentNullException.ThrowIfNull(records);
        var plot = new Plot();
        var train = records.Where(r => double.IsFinite(r.TrainLoss)).ToArray();
        var val = records.Where(r => double.IsFinite(r.ValLoss)).ToArray();
        if (train.Length > 0)
        {
            var s = plot.Add.Scatter(train.Select(r => (double)r.Step).ToArray(), train.Select(r => r.TrainLoss).ToArray());
            s.LegendText = "train";
            s.LineWidth = 2;
            s.MarkerSize = train.Length > 60 ? 0 : 5;
        }
        if (val.Length > 0)
        {
            var s = plot.Add.Scatter(val.Select(r => (double)r.Step).ToArray(), val.Select(r => r.ValLoss).ToArray());
            s.LegendText = "validation";
            s.LineWidth = 2;
            s.MarkerSize = val.Length > 60 ? 0 : 5;
            var best = val.MinBy(r => r.ValLoss)!;
            var marker = plot.Add.Marker(best.Step, best.ValLoss, MarkerShape.OpenCircle, size: 12);
            marker.LegendText = FormattableString.Invariant($"best {best.ValLoss:F3} at step {best.Step:N0}");
        }
        Save(plot, path, title, "step");
    }

    /// <summary>Titles and labels <paramref name="plot"/> as a loss curve and writes it to <paramref name="path"/> atomically.</summary>
    public static void Save(Plot plot, string path, string title, string xLabel)
    {
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel("loss (nats per character)");
        plot.ShowLegend(Alignment.UpperRight);
        AtomicFile.Write(path, temp => plot.SavePng(temp, 900, 540));
    }
}
