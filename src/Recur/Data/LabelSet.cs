using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Recur.Data;

/// <summary>
/// The class names of a data set; a class's index is its position. Labels are canonical: trimmed, and a label that
/// reads as a finite number (invariant culture) is written as the shortest string that round-trips its double, so a
/// UCR label <c>-1.0000000e+00</c> is <c>-1</c> and <c>1.0</c> is <c>1</c>. The order is numeric when every label is a
/// number (<c>-1, 1</c>; <c>1, 2, 10</c>), else ordinal. Saved as JSON <c>{"labels": ["neg", "pos"]}</c>.
/// </summary>
public sealed class LabelSet
{
    private readonly string[] _names;
    private readonly Dictionary<string, int> _index;

    /// <summary>The set of the distinct labels among <paramref name="labels"/> (canonicalized), in the order above.</summary>
    /// <exception cref="ArgumentException">A label is null, empty or only whitespace, or there are none.</exception>
    public LabelSet(IEnumerable<string> labels)
        : this(Sorted(labels))
    {
    }

    private LabelSet(string[] names)
    {
        _names = names;
        _index = new Dictionary<string, int>(names.Length, StringComparer.Ordinal);
        for (int i = 0; i < names.Length; i++) _index.Add(names[i], i);
        IsNumeric = names.All(n => TryNumber(n, out _));
    }

    /// <summary>The number of classes.</summary>
    public int Count => _names.Length;

    /// <summary>The name of class <paramref name="index"/>.</summary>
    public string this[int index] => _names[index];

    /// <summary>The class names in index order.</summary>
    public IReadOnlyList<string> Names => _names;

    /// <summary>True when every label is a number (and so the order is numeric).</summary>
    public bool IsNumeric { get; }

    /// <summary>The canonical form of <paramref name="label"/> (see the type's summary).</summary>
    /// <exception cref="ArgumentException">The label is null, empty or only whitespace.</exception>
    public static string Canonical(string label)
    {
        if (string.IsNullOrWhiteSpace(label)) throw new ArgumentException("A label cannot be empty.", nameof(label));
        string trimmed = label.Trim();
        return TryNumber(trimmed, out double d) ? (d == 0 ? 0.0 : d).ToString("R", CultureInfo.InvariantCulture) : trimmed;
    }

    /// <summary>True when <paramref name="label"/> (canonicalized) is a class, with its index.</summary>
    public bool TryIndexOf(string label, out int index)
    {
        index = -1;
        return !string.IsNullOrWhiteSpace(label) && _index.TryGetValue(Canonical(label), out index);
    }

    /// <summary>True when <paramref name="label"/> (canonicalized) is a class.</summary>
    public bool Contains(string label) => TryIndexOf(label, out _);

    /// <summary>The index of <paramref name="label"/> (canonicalized).</summary>
    /// <exception cref="InvalidDataException">The label is not one of the classes; the message names it and the classes.</exception>
    public int IndexOf(string label) =>
        TryIndexOf(label, out int index) ? index : throw new InvalidDataException($"label {DataFile.Quote(label ?? "")} is not one of the {Describe()}.");

    /// <summary>"3 classes: a, b, c" (the first 20 names when there are more).</summary>
    public string Describe()
    {
        string names = string.Join(", ", _names.Take(20));
        return $"{Count} {(Count == 1 ? "class" : "classes")}: {names}{(Count > 20 ? ", ..." : "")}";
    }

    /// <summary>The JSON form (see the type's summary).</summary>
    public string ToJson()
    {
        var list = new JsonArray();
        foreach (string n in _names) list.Add(n);
        return new JsonObject { ["labels"] = list }
            .ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    /// <summary>Reads the JSON form; the saved order is kept (it is the class indices of a trained model).</summary>
    /// <exception cref="InvalidDataException">
    /// The JSON is malformed, has no <c>labels</c> list, or a label is empty, not canonical or repeated.
    /// </exception>
    public static LabelSet FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var root = DataJson.Parse(json, "the label set");
        if (root is not JsonObject o || o["labels"] is not JsonArray list || list.Count == 0)
            throw new InvalidDataException("the label set has no \"labels\" list of at least one label.");
        var names = new string[list.Count];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < names.Length; i++)
        {
            if (list[i] is not JsonValue v || v.GetValueKind() != JsonValueKind.String || v.GetValue<string>() is not { } name || string.IsNullOrWhiteSpace(name))
                throw new InvalidDataException($"the label set's entry {i} is not a non-empty string.");
            if (Canonical(name) != name) throw new InvalidDataException($"the label set's label \"{name}\" is not canonical (expected \"{Canonical(name)}\").");
            if (!seen.Add(name)) throw new InvalidDataException($"the label set holds \"{name}\" twice.");
            names[i] = name;
        }
        return new LabelSet(names);
    }

    private static string[] Sorted(IEnumerable<string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var distinct = labels.Select(Canonical).Distinct(StringComparer.Ordinal).ToList();
        if (distinct.Count == 0) throw new ArgumentException("A label set needs at least one label.", nameof(labels));
        bool numeric = distinct.All(n => TryNumber(n, out _));
        return numeric
            ? distinct.OrderBy(n => double.Parse(n, CultureInfo.InvariantCulture)).ToArray()
            : distinct.Order(StringComparer.Ordinal).ToArray();
    }

    private static bool TryNumber(string s, out double value) =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
}
