// T time (steps of a series), F features
namespace Recur.Data;

/// <summary>
/// One example of a classification file: its canonical label (see <see cref="LabelSet.Canonical"/>) and either a
/// text or a series.
/// </summary>
public sealed class ClassificationExample
{
    private ClassificationExample(string label, int lineNumber, string? text, float[]? values, int length, int features)
    {
        Label = label;
        LineNumber = lineNumber;
        Text = text;
        Values = values;
        Length = length;
        Features = features;
    }

    /// <summary>A text example.</summary>
    public static ClassificationExample ForText(string label, string text, int lineNumber)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        return new ClassificationExample(LabelSet.Canonical(label), lineNumber, text, null, 0, 0);
    }

    /// <summary>A series example: <paramref name="values"/> [T, F] time-major, element t * F + f.</summary>
    /// <exception cref="ArgumentException">The series is empty or its values are not T * F long.</exception>
    public static ClassificationExample ForSeries(string label, float[] values, int length, int features, int lineNumber)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(features);
        if ((long)length * features != values.Length)
            throw new ArgumentException($"A series of {length} steps of {features} features needs {(long)length * features} values, not {values.Length}.", nameof(values));
        return new ClassificationExample(LabelSet.Canonical(label), lineNumber, null, values, length, features);
    }

    /// <summary>The canonical label.</summary>
    public string Label { get; }

    /// <summary>The 1-based line of the file where the example starts.</summary>
    public int LineNumber { get; }

    /// <summary>The text of a text example; null for a series.</summary>
    public string? Text { get; }

    /// <summary>[T, F] time-major values of a series (element t * F + f); null for a text.</summary>
    public float[]? Values { get; }

    /// <summary>T: the steps of a series; 0 for a text (its length depends on the tokenizer).</summary>
    public int Length { get; }

    /// <summary>F: the features per step of a series; 0 for a text.</summary>
    public int Features { get; }
}
