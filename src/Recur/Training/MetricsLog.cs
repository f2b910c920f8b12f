using System.Text;
using System.Text.Json;
using Recur.IO;

namespace Recur.Training;

/// <summary>One evaluation of a training run.</summary>
/// <param name="Step">Optimizer steps taken.</param>
/// <param name="TrainLoss">Mean training loss over the steps since the previous evaluation (nats per character).</param>
/// <param name="ValLoss">Validation loss (nats per character).</param>
/// <param name="LearningRate">The learning rate of the last step.</param>
/// <param name="CharsPerSecond">Training throughput since the previous evaluation.</param>
/// <param name="ElapsedSeconds">Training time so far, across resumes.</param>
public sealed record EvalRecord(long Step, double TrainLoss, double ValLoss, double LearningRate, double CharsPerSecond, double ElapsedSeconds);

/// <summary>
/// A JSON-lines file of <see cref="EvalRecord"/>s, one object per line with the keys <c>step</c>, <c>train_loss</c>,
/// <c>val_loss</c>, <c>lr</c>, <c>chars_per_s</c> and <c>elapsed_s</c>.
/// </summary>
public static class MetricsLog
{
    /// <summary>The JSON object for <paramref name="r"/>, on one line.</summary>
    public static string ToJson(EvalRecord r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("step", r.Step);
            WriteNumber(w, "train_loss", r.TrainLoss);
            WriteNumber(w, "val_loss", r.ValLoss);
            WriteNumber(w, "lr", r.LearningRate);
            WriteNumber(w, "chars_per_s", Math.Round(r.CharsPerSecond, 1));
            WriteNumber(w, "elapsed_s", Math.Round(r.ElapsedSeconds, 3));
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Appends one line for <paramref name="r"/> to <paramref name="path"/> (created if absent).</summary>
    public static void Append(string path, EvalRecord r) => File.AppendAllText(path, ToJson(r) + "\n");

    /// <summary>The records of <paramref name="path"/> (none when it does not exist); lines that do not parse are skipped.</summary>
    public static List<EvalRecord> Read(string path)
    {
        var records = new List<EvalRecord>();
        if (!File.Exists(path)) return records;
        foreach (var line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                using var doc = JsonDocument.Parse(line);
                var o = doc.RootElement;
                records.Add(new EvalRecord(o.GetProperty("step").GetInt64(), Number(o, "train_loss"), Number(o, "val_loss"),
                    Number(o, "lr"), Number(o, "chars_per_s"), Number(o, "elapsed_s")));
            }
            catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                // A line cut short by a kill: the rest of the log is still good.
            }
        }
        return records;
    }

    /// <summary>Rewrites <paramref name="path"/> atomically with only the records up to step <paramref name="lastStep"/>.</summary>
    public static List<EvalRecord> TruncateAfter(string path, long lastStep)
    {
        var kept = Read(path).Where(r => r.Step <= lastStep).ToList();
        if (File.Exists(path)) AtomicFile.WriteAllText(path, string.Concat(kept.Select(r => ToJson(r) + "\n")));
        return kept;
    }

    // NaN and infinities are not JSON numbers: they are written as null.
    private static void WriteNumber(Utf8JsonWriter w, string name, double value)
    {
        if (double.IsFinite(value)) w.WriteNumber(name, value);
        else w.WriteNull(name);
    }

    private static double Number(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : double.NaN;
}
