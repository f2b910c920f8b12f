using System.Text;
using System.Text.Json;
using Recur.IO;

namespace Recur.Training;

/// <summary>
/// A JSON-lines file with one object per evaluation (<c>metrics.jsonl</c>): <c>step</c> first, then whatever the run
/// measured (<c>train_loss</c>, <c>val_loss</c>, <c>val_accuracy</c>, <c>lr</c>, <c>elapsed_s</c>, ...). Values
/// that are not finite are written as <c>null</c> and read back as NaN.
/// </summary>
public static class MetricsLog
{
    /// <summary>The JSON object for <paramref name="record"/>, on one line (shortest round-trip numbers: a step 5 is written <c>5</c>).</summary>
    public static string ToJson(Metrics record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            foreach (var (name, value) in record)
            {
                if (double.IsFinite(value)) w.WriteNumber(name, value);
                else w.WriteNull(name);
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Appends one line for <paramref name="record"/> to <paramref name="path"/> (created if absent).</summary>
    public static void Append(string path, Metrics record) => File.AppendAllText(path, ToJson(record) + "\n");

    /// <summary>
    /// The records of <paramref name="path"/> (none when it does not exist), each with every numeric or null value of
    /// its line; lines without a numeric <c>step</c>, or that do not parse (a line cut short by a kill), are skipped.
    /// </summary>
    public static List<Metrics> Read(string path)
    {
        var records = new List<Metrics>();
        if (!File.Exists(path)) return records;
        foreach (var line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                using var doc = JsonDocument.Parse(line);
                if (doc.RootElement.ValueKind != JsonValueKind.Object) continue;
                var m = new Metrics();
                foreach (var p in doc.RootElement.EnumerateObject())
                {
                    if (p.Value.ValueKind == JsonValueKind.Number) m[p.Name] = p.Value.GetDouble();
                    else if (p.Value.ValueKind == JsonValueKind.Null) m[p.Name] = double.NaN;
                }
                if (m.TryGetValue("step", out double step) && double.IsFinite(step)) records.Add(m);
            }
            catch (JsonException)
            {
                // A line cut short by a kill: the rest of the log is still good.
            }
        }
        return records;
    }

    /// <summary>Rewrites <paramref name="path"/> atomically with only the records up to step <paramref name="lastStep"/>.</summary>
    public static List<Metrics> TruncateAfter(string path, long lastStep)
    {
        var kept = Read(path).Where(r => r["step"] <= lastStep).ToList();
        if (File.Exists(path)) AtomicFile.WriteAllText(path, string.Concat(kept.Select(r => ToJson(r) + "\n")));
        return kept;
    }
}
