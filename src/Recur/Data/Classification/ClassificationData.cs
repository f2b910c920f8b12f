// T time (steps of a series), F features
namespace Recur.Data;

/// <summary>Whether a classification data set holds texts or series.</summary>
public enum ClassificationKind
{
    /// <summary>Every example is a text.</summary>
    Text,

    /// <summary>Every example is a series of F features per step.</summary>
    Series,
}

/// <summary>
/// The examples of one classification file, all of one <see cref="Kind"/> (and for series all of the same number of
/// features), with the classes found in it.
/// </summary>
public sealed class ClassificationData
{
    /// <summary>Gathers <paramref name="examples"/> read from <paramref name="sourcePath"/>.</summary>
    /// <param name="sourcePath">The file the examples came from.</param>
    /// <param name="format">The format it was read as.</param>
    /// <param name="examples">At least one example, all texts or all series of the same feature count.</param>
    /// <param name="classes">The classes; null takes the distinct labels of the examples.</param>
    /// <param name="detectionReason">Why the format was chosen, when it was detected.</param>
    /// <param name="headerLine">The header line that was skipped, if any.</param>
    /// <exception cref="ArgumentException">The examples are empty or mixed, or a label is not among the classes.</exception>
    public ClassificationData(string sourcePath, ClassificationFormat format, IReadOnlyList<ClassificationExample> examples,
        LabelSet? classes = null, string? detectionReason = null, string? headerLine = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(sourcePath);
        ArgumentNullException.ThrowIfNull(examples);
        if (examples.Count == 0) throw new ArgumentException("A data set needs at least one example.", nameof(examples));
        Kind = examples[0].Text is null ? ClassificationKind.Series : ClassificationKind.Text;
        Features = examples[0].Features;
        foreach (var e in examples)
        {
            ArgumentNullException.ThrowIfNull(e, nameof(examples));
            if ((e.Text is null) != (Kind == ClassificationKind.Series) || e.Features != Features)
                throw new ArgumentException($"Line {e.LineNumber} holds a different kind of example than line {examples[0].LineNumber}: " +
                    "every example must be a text, or every one a series of the same number of features.", nameof(examples));
        }
        Classes = classes ?? new LabelSet(examples.Select(e => e.Label));
        foreach (var e in examples)
            if (!Classes.Contains(e.Label))
                throw new ArgumentException($"Line {e.LineNumber}'s label '{e.Label}' is not one of the {Classes.Describe()}.", nameof(classes));
        SourcePath = sourcePath;
        Format = format;
        Examples = examples;
        DetectionReason = detectionReason;
        HeaderLine = headerLine;
    }

    /// <summary>Texts or series.</summary>
    public ClassificationKind Kind { get; }

    /// <summary>The format the file was read as (never <see cref="ClassificationFormat.Auto"/> for a file read).</summary>
    public ClassificationFormat Format { get; }

    /// <summary>The file the examples came from.</summary>
    public string SourcePath { get; }

    /// <summary>The examples in file order.</summary>
    public IReadOnlyList<ClassificationExample> Examples { get; }

    /// <summary>The number of examples.</summary>
    public int Count => Examples.Count;

    /// <summary>F: features per step of every series; 0 for texts.</summary>
    public int Features { get; }

    /// <summary>The classes of the file: its distinct labels, or for a .ts file the labels its header lists.</summary>
    public LabelSet Classes { get; }

    /// <summary>Why the format was chosen when it was detected; null when it was given.</summary>
    public string? DetectionReason { get; }

    /// <summary>The header line that was skipped, if there was one.</summary>
    public string? HeaderLine { get; }

    /// <summary>Every example's text.</summary>
    /// <exception cref="InvalidOperationException">The examples are series.</exception>
    public string[] Texts() => Kind == ClassificationKind.Text
        ? Examples.Select(e => e.Text!).ToArray()
        : throw new InvalidOperationException($"{SourcePath} holds series, not texts.");

    /// <summary>Every example's [T, F] values.</summary>
    /// <exception cref="InvalidOperationException">The examples are texts.</exception>
    public float[][] SeriesValues() => Kind == ClassificationKind.Series
        ? Examples.Select(e => e.Values!).ToArray()
        : throw new InvalidOperationException($"{SourcePath} holds texts, not series.");

    /// <summary>Every example's T.</summary>
    /// <exception cref="InvalidOperationException">The examples are texts.</exception>
    public int[] SeriesLengths() => Kind == ClassificationKind.Series
        ? Examples.Select(e => e.Length).ToArray()
        : throw new InvalidOperationException($"{SourcePath} holds texts, not series.");

    /// <summary>
    /// Every example's class index in <paramref name="classes"/> (by default <see cref="Classes"/>); give the training
    /// data's classes to read a dev or test file with the same indices.
    /// </summary>
    /// <exception cref="InvalidDataException">A label is not one of the classes; the message names the file, line and label.</exception>
    public int[] LabelIds(LabelSet? classes = null)
    {
        classes ??= Classes;
        var ids = new int[Count];
        for (int i = 0; i < ids.Length; i++)
        {
            var e = Examples[i];
            if (!classes.TryIndexOf(e.Label, out ids[i]))
                throw DataFile.Error(SourcePath, e.LineNumber, $"label {DataFile.Quote(e.Label)} is not one of the {classes.Describe()}.");
        }
        return ids;
    }

    /// <summary>One line: "6,920 texts of 2 classes: 0, 1, from train.txt (label-text)".</summary>
    public string Describe()
    {
        string what = Kind == ClassificationKind.Text ? "texts" : $"series of {Features} feature{(Features == 1 ? "" : "s")}";
        return $"{DataFile.Count(Count)} {what} of {Classes.Describe()}, from {Path.GetFileName(SourcePath)} ({Format.Name()})";
    }
}
