namespace Recur.Data;

/// <summary>
/// The heuristics shared by format detection and header detection. A "small label set" is what a column of class
/// labels looks like, as opposed to a column of words: at most one distinct value per 5 lines, between 2 and 100 (the
/// first words of 1,000 English sentences take ~290 distinct values, their labels 2 to ~50).
/// </summary>
internal static class LabelRule
{
    /// <summary>True when <paramref name="distinct"/> values over <paramref name="lines"/> lines look like class labels.</summary>
    public static bool IsSmall(int distinct, int lines) => distinct >= 1 && distinct <= Math.Clamp(lines / 5, 2, 100);

    /// <summary>
    /// True when the first line is a header: its label is not among the labels of the other lines, those form a small
    /// label set, and either they are all numbers and it is not (<c>score</c> over <c>0</c>/<c>1</c>) or there are at
    /// least <see cref="MinLinesForWordHeader"/> of them, so that a genuine first example of a rare class in a tiny
    /// file is not taken for a header.
    /// </summary>
    public static bool FirstIsHeader(string first, IReadOnlyList<string> rest)
    {
        if (rest.Count == 0) return false;
        var set = rest.ToHashSet(StringComparer.Ordinal);
        if (set.Contains(first) || !IsSmall(set.Count, rest.Count)) return false;
        return (set.All(IsNumber) && !IsNumber(first)) || rest.Count >= MinLinesForWordHeader;
    }

    /// <summary>Lines needed after a header whose labels are words rather than numbers.</summary>
    public const int MinLinesForWordHeader = 10;

    private static bool IsNumber(string s) =>
        double.TryParse(s, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double d) && double.IsFinite(d);

    /// <summary>"2 labels: 0, 1" (the first 10 when there are more).</summary>
    public static string Describe(IEnumerable<string> labels)
    {
        var distinct = new LabelSet(labels);
        var shown = string.Join(", ", distinct.Names.Take(10));
        return $"{distinct.Count} label{(distinct.Count == 1 ? "" : "s")}: {shown}{(distinct.Count > 10 ? ", ..." : "")}";
    }
}
