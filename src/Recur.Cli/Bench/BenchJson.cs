using System.Text.Json;

namespace Recur.Cli.Bench;

/// <summary>
/// The JSON report of <c>recur bench --json</c>: an array of
/// <c>{"name", "median_ms", "gflops", "allocated_bytes"}</c> objects (plus <c>"peak_working_set_bytes"</c> with
/// <c>--memory</c>), written atomically: to a temporary file in the same folder, then renamed over the target.
/// </summary>
public static class BenchJson
{
    /// <summary>Fails early, with a user error, when <paramref name="path"/> cannot be written.</summary>
    public static void CheckWritable(string path)
    {
        string full = Path.GetFullPath(path);
        if (Directory.Exists(full)) throw new UserErrorException($"--json {path}: is a folder, not a file.");
        string folder = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(folder)) throw new UserErrorException($"--json {path}: folder '{folder}' does not exist.");
        string probe = TempName(full);
        try
        {
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UserErrorException($"--json {path}: cannot write there ({ex.Message}).");
        }
    }

    /// <summary>Writes <paramref name="results"/> to <paramref name="path"/> atomically.</summary>
    public static void Write(string path, IReadOnlyList<BenchResult> results, long? peakWorkingSetBytes)
    {
        string full = Path.GetFullPath(path);
        string temp = TempName(full);
        using (var stream = File.Create(temp))
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartArray();
            foreach (var r in results)
            {
                json.WriteStartObject();
                json.WriteString("name", r.Name);
                json.WriteNumber("median_ms", Math.Round(r.MedianMs, 6));
                json.WriteNumber("gflops", Math.Round(r.Gflops, 3));
                json.WriteNumber("allocated_bytes", r.AllocatedBytes);
                if (peakWorkingSetBytes is long peak) json.WriteNumber("peak_working_set_bytes", peak);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        File.Move(temp, full, overwrite: true);
    }

    private static string TempName(string full) => $"{full}.{Environment.ProcessId}.tmp";
}
