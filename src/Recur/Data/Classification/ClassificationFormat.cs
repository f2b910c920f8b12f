namespace Recur.Data;

/// <summary>The file formats <see cref="ClassificationReader"/> reads.</summary>
public enum ClassificationFormat
{
    /// <summary>Detect the format from the file (<see cref="ClassificationReader.Detect"/>); name <c>auto</c>.</summary>
    Auto,

    /// <summary><c>label&lt;TAB&gt;text</c>, split at the first tab; name <c>label-tab-text</c>.</summary>
    LabelTabText,

    /// <summary><c>label text</c>, split at the first space or tab (as SST's stsa.binary); name <c>label-text</c>.</summary>
    LabelSpaceText,

    /// <summary><c>text&lt;TAB&gt;label</c>, split at the last tab, maybe under a header line; name <c>text-tab-label</c>.</summary>
    TextTabLabel,

    /// <summary>RFC 4180 CSV with a text column and a label column; name <c>csv</c>.</summary>
    Csv,

    /// <summary>UCR time series: a label, then the values, one series per line; name <c>ucr</c>.</summary>
    Ucr,

    /// <summary>sktime / UEA <c>.ts</c>: multivariate, maybe of varying length; name <c>ts</c>.</summary>
    Ts,
}

/// <summary>The command-line names of <see cref="ClassificationFormat"/>.</summary>
public static class ClassificationFormats
{
    private static readonly (ClassificationFormat Format, string Name)[] s_names =
    [
        (ClassificationFormat.Auto, "auto"),
        (ClassificationFormat.LabelTabText, "label-tab-text"),
        (ClassificationFormat.LabelSpaceText, "label-text"),
        (ClassificationFormat.TextTabLabel, "text-tab-label"),
        (ClassificationFormat.Csv, "csv"),
        (ClassificationFormat.Ucr, "ucr"),
        (ClassificationFormat.Ts, "ts"),
    ];

    /// <summary>Every name, <c>auto</c> first.</summary>
    public static IReadOnlyList<string> Names { get; } = s_names.Select(n => n.Name).ToArray();

    /// <summary>"label-tab-text, label-text, text-tab-label, csv, ucr, ts": the names of the concrete formats.</summary>
    public static string FileFormatNames => string.Join(", ", Names.Skip(1));

    /// <summary>The name of <paramref name="format"/>.</summary>
    public static string Name(this ClassificationFormat format)
    {
        foreach (var (f, n) in s_names)
            if (f == format) return n;
        throw new ArgumentOutOfRangeException(nameof(format), $"Unknown format {(int)format}.");
    }

    /// <summary>The format named <paramref name="name"/> (case-insensitive).</summary>
    public static bool TryParse(string? name, out ClassificationFormat format)
    {
        foreach (var (f, n) in s_names)
        {
            if (string.Equals(n, name?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                format = f;
                return true;
            }
        }
        format = ClassificationFormat.Auto;
        return false;
    }

    /// <summary>The format named <paramref name="name"/> (case-insensitive).</summary>
    /// <exception cref="ArgumentException">No format has that name; the message lists the names.</exception>
    public static ClassificationFormat Parse(string name) => TryParse(name, out var f)
        ? f
        : throw new ArgumentException($"unknown data format '{name}'; expected one of: {string.Join(", ", Names)}.", nameof(name));
}
