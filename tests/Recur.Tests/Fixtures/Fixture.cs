using System.Text.Json;
using System.Text.RegularExpressions;
using Recur.IO;

namespace Recur.Tests.Fixtures;

/// <summary>One golden fixture file: its tensors, its metadata and its JSON config.</summary>
public sealed partial class Fixture
{
    public Fixture(string path)
    {
        Path = path;
        File = SafetensorsFile.Read(path);
        Kind = File.Metadata.TryGetValue("kind", out var k) ? k : "(none)";
        Module = File.Metadata.TryGetValue("module", out var m) ? m : "(none)";
        Config = File.Metadata.TryGetValue("config", out var c) ? ParseConfig(c) : default;
    }

    /// <summary>
    /// Parses a config written by Python's json.dumps, which writes infinities and NaN as bare Infinity and NaN
    /// (not JSON): those become the strings "Infinity", "-Infinity" and "NaN".
    /// </summary>
    public static JsonElement ParseConfig(string json)
    {
        using var doc = JsonDocument.Parse(NamedFloats().Replace(json, m => $"\"{m.Value}\""));
        return doc.RootElement.Clone();
    }

    [GeneratedRegex(@"(?<![""\w])-?(Infinity|NaN)(?![""\w])")]
    private static partial Regex NamedFloats();

    public string Path { get; }
    public SafetensorsFile File { get; }
    public string Kind { get; }
    public string Module { get; }
    public JsonElement Config { get; }

    public bool Has(string name) => File.Tensors.ContainsKey(name);

    public Tensor Tensor(string name) => File[name].ToTensor();

    public long[] Int64(string name) => File[name].ToInt64Array();

    public double Number(string key, double fallback) =>
        Config.ValueKind == JsonValueKind.Object && Config.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : fallback;

    public bool Flag(string key, bool fallback) =>
        Config.ValueKind == JsonValueKind.Object && Config.TryGetProperty(key, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : fallback;

    public string Text(string key, string fallback) =>
        Config.ValueKind == JsonValueKind.Object && Config.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : fallback;

    public bool HasConfig(string key) => Config.ValueKind == JsonValueKind.Object && Config.TryGetProperty(key, out var v) && v.ValueKind != JsonValueKind.Null;

    /// <summary>Asserts max |actual - expected| &lt;= tol * max(1, max |expected|) for one named tensor.</summary>
    public static void AssertClose(string what, Tensor expected, Tensor actual, double tol)
    {
        Assert.True(expected.SameShape(actual), $"{what}: expected shape {Recur.Tensor.FormatShape(expected.Shape)} but got {Recur.Tensor.FormatShape(actual.Shape)}");
        var e = expected.Span;
        var a = actual.Span;
        double maxRef = 0, maxErr = 0;
        int worst = -1;
        for (int i = 0; i < e.Length; i++)
        {
            maxRef = Math.Max(maxRef, Math.Abs(e[i]));
            double err = float.IsNaN(e[i]) && float.IsNaN(a[i]) ? 0 : Math.Abs((double)a[i] - e[i]);
            if (double.IsNaN(err) || err > maxErr) { maxErr = double.IsNaN(err) ? double.PositiveInfinity : err; worst = i; }
        }
        double bound = tol * Math.Max(1, maxRef);
        Assert.True(maxErr <= bound, $"{what}: max |ours - ref| = {maxErr:G4} > {bound:G4} (at element {worst}: ours {(worst >= 0 ? a[worst] : 0):G8}, ref {(worst >= 0 ? e[worst] : 0):G8})");
    }
}
