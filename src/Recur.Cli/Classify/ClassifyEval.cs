using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Recur.Data;
using Recur.IO;
using Recur.Training;
using Recur.Cli.Common;

namespace Recur.Cli.Classify;

/// <summary>Options of <c>recur classify eval</c>.</summary>
/// <param name="Model">A run folder (its best checkpoint) or a checkpoint folder.</param>
/// <param name="Data">The labelled file to score.</param>
/// <param name="Format">Its format (null: the training file's, or detected).</param>
/// <param name="Json">Where to write the scores as JSON, or null.</param>
/// <param name="Plot">Where to draw the confusion matrix (null: confusion.png beside the model).</param>
public sealed record ClassifyEvalOptions(string Model, string Data, string? Format = null, string? Json = null, string? Plot = null);

/// <summary><c>recur classify eval</c>: accuracy, macro-F1, per-class scores and the confusion matrix of a model on a labelled file.</summary>
public static class ClassifyEval
{
    /// <summary>Scores, prints, writes the JSON and the picture; returns the exit code.</summary>
    public static int Run(ClassifyEvalOptions o, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(o);
        ArgumentNullException.ThrowIfNull(output);
        if (o.Json is not null && Directory.Exists(o.Json)) throw new UserErrorException($"--json '{o.Json}' is a folder; name a file.");
        if (o.Plot is not null && !o.Plot.EndsWith(".png", StringComparison.OrdinalIgnoreCase)) throw new UserErrorException($"--plot must name a .png file, got '{o.Plot}'.");
        var (model, encoder, saved, checkpoint) = ClassifyCheckpoint.LoadModel(o.Model);
        var read = new ClassificationReadOptions
        {
            Format = o.Format is not null ? ClassifyData.ParseFormat(o.Format) : saved.Data.Format == "csv" ? ClassificationFormat.Csv : ClassificationFormat.Auto,
            TextColumn = saved.Data.TextColumn,
            LabelColumn = saved.Data.LabelColumn,
        };
        var data = ClassifyData.Read(o.Data, read, output);
        var set = ClassifyData.Encode(encoder, data);
        var logits = model.PredictLogits(set, maxLength: saved.Data.MaxLength);
        var report = ClassificationReport.FromLogits(logits, set.Labels, encoder.Labels.Count, out double loss);

        var names = encoder.Labels.Names;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Path.GetFileName(o.Data)}: accuracy {Percent.Of(report.Accuracy, 2)} ({(int)Math.Round(report.Accuracy * report.Count):N0} of {report.Count:N0}), macro-F1 {Percent.Of(report.MacroF1, 2)}, loss {loss:F4} ({checkpoint.Folder})"));
        output.Write(Table(report, names));
        string plot = o.Plot ?? Path.Combine(Path.GetDirectoryName(checkpoint.Folder.TrimEnd('/')) is string parent && RunFolder.Inspect(parent, out _) == RunFolderKind.Run ? parent : checkpoint.Folder, "confusion.png");
        try
        {
            ConfusionPlot.Write(plot, report, names, $"{Path.GetFileName(o.Data)}: accuracy {Percent.Of(report.Accuracy, 1)}, macro-F1 {Percent.Of(report.MacroF1, 1)}");
            output.WriteLine($"Confusion matrix: {plot}");
        }
        catch (Exception ex) when (ex is not OutOfMemoryException and not UserErrorException and not IOException)
        {
            output.WriteLine($"warning: cannot draw {plot} ({ex.GetType().Name}: {ex.Message}).");
        }
        if (o.Json is not null)
        {
            AtomicFile.WriteAllText(o.Json, Json(report, names, loss, o.Data, checkpoint.Folder).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            output.WriteLine($"Scores: {o.Json}");
        }
        return 0;
    }

    /// <summary>The per-class table and the confusion matrix as text.</summary>
    public static string Table(ClassificationReport report, IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(names);
        int w = Math.Max(5, names.Max(n => n.Length));
        var sb = new System.Text.StringBuilder();
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"{"class".PadRight(w)}  precision  recall      F1  support"));
        for (int c = 0; c < names.Count; c++)
        {
            var s = report.Scores[c];
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"{names[c].PadRight(w)}  {Percent.Of(s.Precision, 1),9}  {Percent.Of(s.Recall, 1),6}  {Percent.Of(s.F1, 1),6}  {s.Support,7:N0}"));
        }
        sb.AppendLine("confusion (rows: true class, columns: predicted)");
        int cell = Math.Max(w, report.Count.ToString(CultureInfo.InvariantCulture).Length) + 1;
        sb.Append("".PadRight(w)).AppendJoin("", names.Select(n => n.PadLeft(cell))).AppendLine();
        for (int t = 0; t < names.Count; t++)
        {
            sb.Append(names[t].PadRight(w));
            for (int p = 0; p < names.Count; p++) sb.Append(report.Confusion[t, p].ToString(CultureInfo.InvariantCulture).PadLeft(cell));
            sb.AppendLine();
        }
        return sb.ToString();
    }

    /// <summary>The scores as JSON: <c>accuracy</c>, <c>macro_f1</c> (fractions), <c>n</c>, per class, the confusion matrix.</summary>
    public static JsonObject Json(ClassificationReport report, IReadOnlyList<string> names, double loss, string data, string model)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(names);
        var perClass = new JsonObject();
        for (int c = 0; c < names.Count; c++)
        {
            var s = report.Scores[c];
            perClass[names[c]] = new JsonObject { ["precision"] = s.Precision, ["recall"] = s.Recall, ["f1"] = s.F1, ["support"] = s.Support };
        }
        var confusion = new JsonArray();
        for (int t = 0; t < names.Count; t++)
            confusion.Add(new JsonArray(Enumerable.Range(0, names.Count).Select(p => (JsonNode)report.Confusion[t, p]).ToArray()));
        return new JsonObject
        {
            ["accuracy"] = report.Accuracy,
            ["macro_f1"] = report.MacroF1,
            ["weighted_f1"] = report.WeightedF1,
            ["loss"] = loss,
            ["n"] = report.Count,
            ["classes"] = new JsonArray(names.Select(n => (JsonNode)n).ToArray()),
            ["per_class"] = perClass,
            ["confusion"] = confusion,
            ["data"] = Path.GetFullPath(data),
            ["model"] = model,
        };
    }
}
