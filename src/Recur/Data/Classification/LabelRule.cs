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
    /// True when the first line is a header: its label is not among the labels of the other lines, and those form a
    /// small label set.
    /// </summary>
    public static bool FirstIsHeader(string first, IReadOnlyList<string> rest)
    {
        if (rest.Count == 0) return false;
        var set = rest.ToHashSet(StringComparer.Ordinal);
        return !set.Contains(first) && IsSmall(set.Count, rest.Count);
    }

    /// <summary>"2 labels: 0, 1" (the first 10 when there are more).</summary>
    public static string Describe(IEnumerable<string> labels)
    {
        var distinct = new LabelSet(labels);
        var shown = string.Join(", ", distinct.Names.Take(10));
        return $"{distinct.Count} label{(distinct.Count == 1 ? "" : "s")}: {shown}{(distinct.Count > 10 ? ", ..." : "")}";
    }
}
