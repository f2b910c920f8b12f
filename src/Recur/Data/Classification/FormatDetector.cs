using System.Globalization;

namespace Recur.Data;

/// <summary>
/// Picks a classification file's format from its extension and its first <see cref="SampleLines"/> non-blank lines,
/// in this order: a <c>.ts</c> extension or <c>@</c> header lines: ts; a <c>.csv</c> extension: csv (ucr when every
/// line is numbers); every line numbers: ucr; lines with tabs: label-tab-text when the first fields form a small label
/// set without spaces, text-tab-label when the last fields do (the one of fewer labels when both do); else label-text
/// when the first words form a small label set (see <see cref="LabelRule"/>).
/// </summary>
internal static class FormatDetector
{
    /// <summary>The number of non-blank lines looked at.</summary>
    public const int SampleLines = 1000;

    public static FormatDetection Detect(string path)
    {
        DataFile.Check(path, DataFile.MaxBytes);
        string ext = Path.GetExtension(path).ToLowerInvariant();
        if (ext == ".ts") return new(ClassificationFormat.Ts, "ts: the file name ends in .ts (sktime / UEA time series)");
        var (lines, whole) = Sample(path);
        if (lines.Count == 0) throw DataFile.Error(path, "has only blank lines, no examples.");
        if (lines.FirstOrDefault(l => !l.StartsWith('#')) is { } first && IsTsHeader(first))
            return new(ClassificationFormat.Ts, "ts: the file starts with @ header lines (sktime / UEA time series)");
        string every = whole ? "every line" : $"each of the first {DataFile.Count(lines.Count)} lines";
        bool numeric = lines.All(IsNumberLine);
        if (ext == ".csv")
            return numeric
                ? new(ClassificationFormat.Ucr, $"ucr: a .csv file where {every} is numbers (a label, then the series values)")
                : new(ClassificationFormat.Csv, "csv: the file name ends in .csv");
        if (numeric) return new(ClassificationFormat.Ucr, $"ucr: {every} is numbers (a label, then the series values)");

        string why;
        int withTab = lines.Count(l => l.Contains('\t'));
        if (withTab * 2 >= lines.Count)
        {
            var tabbed = lines.Where(l => l.Contains('\t')).ToList();
            string everyTab = withTab == lines.Count ? every : $"{every} with a tab";
            var head = LabelColumn(tabbed, l => l[..l.IndexOf('\t')]);
            var tail = LabelColumn(tabbed, l => l[(l.LastIndexOf('\t') + 1)..]);
            if (head is not null && (tail is null || head.Value.Distinct <= tail.Value.Distinct))
                return new(ClassificationFormat.LabelTabText, $"label<TAB>text: {everyTab} starts with a label and a tab ({head.Value.Description})");
            if (tail is not null)
                return new(ClassificationFormat.TextTabLabel, $"text<TAB>label: {everyTab} ends with a tab and a label ({tail.Value.Description})");
            why = "the lines have tabs, but neither their first nor their last fields form a small set of labels";
        }
        else
        {
            var words = LabelColumn(lines, SpaceLabel, header: false);
            if (words is not null)
                return new(ClassificationFormat.LabelSpaceText, $"label text: {every} starts with a label and a space ({words.Value.Description})");
            int distinct = lines.Select(FirstWord).Distinct(StringComparer.Ordinal).Count();
            why = $"the first words of the lines are not a small set of labels ({DataFile.Count(distinct)} distinct in {DataFile.Count(lines.Count)} lines)";
        }
        throw DataFile.Error(path, $"could not detect the data format: {why}; name it with --format ({ClassificationFormats.FileFormatNames}).");
    }

    /// <summary>True when the line is a .ts header line: @ and a keyword of the format, such as @problemName.</summary>
    public static bool IsTsHeader(string line)
    {
        string t = line.TrimStart();
        if (!t.StartsWith('@')) return false;
        string key = t[1..].Split([' ', '\t'], 2)[0].ToLowerInvariant();
        return key is "problemname" or "timestamps" or "missing" or "univariate" or "dimension" or "dimensions"
            or "equallength" or "serieslength" or "classlabel" or "targetlabel" or "data";
    }

    /// <summary>True when the line is at least two numbers separated by whitespace or commas.</summary>
    public static bool IsNumberLine(string line)
    {
        var parts = line.Split([' ', '\t', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return parts.Length >= 2 && parts.All(p => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
    }

    // The labels a column would hold, when they look like labels: non-empty, no spaces, a small set, the first line
    // maybe a header. Null when they do not.
    private static (int Distinct, string Description)? LabelColumn(List<string> lines, Func<string, string> field, bool header = true)
    {
        var labels = lines.Select(l => field(l).Trim()).ToList();
        bool isHeader = header && labels.Count > 1 && labels.Skip(1).All(IsLabel) && LabelRule.FirstIsHeader(Canon(labels[0]), labels.Skip(1).Select(Canon).ToList());
        var used = isHeader ? labels.Skip(1).ToList() : labels;
        if (!used.All(IsLabel)) return null;
        var canonical = used.Select(Canon).ToList();
        int distinct = canonical.Distinct(StringComparer.Ordinal).Count();
        if (!LabelRule.IsSmall(distinct, canonical.Count)) return null;
        string description = LabelRule.Describe(canonical) + (isHeader ? $"; the first line is a header, {DataFile.Quote(lines[0])}" : "");
        return (distinct, description);
    }

    private static bool IsLabel(string s) => s.Length > 0 && !s.Any(char.IsWhiteSpace);

    private static string Canon(string s) => s.Length == 0 ? s : LabelSet.Canonical(s);

    private static string FirstWord(string line) => line.TrimStart().Split([' ', '\t'], 2)[0];

    // The first word when text follows it, else "" (not a label).
    private static string SpaceLabel(string line)
    {
        string t = line.TrimStart();
        int s = t.IndexOfAny([' ', '\t']);
        return s > 0 && !t.AsSpan(s).IsWhiteSpace() ? t[..s] : "";
    }

    // The first SampleLines non-blank lines; whole is true when they are all the file has.
    private static (List<string> Lines, bool Whole) Sample(string path)
    {
        var lines = new List<string>();
        using var reader = new Utf8LineReader(path, strict: true);
        while (reader.MoveNext())
        {
            if (reader.IsBlank) continue;
            if (lines.Count == SampleLines) return (lines, false);
            lines.Add(new string(reader.Line));
        }
        return (lines, true);
    }
}
