using System.Globalization;
using nietras.SeparatedValues;

namespace Recur.Data;

/// <summary>
/// RFC 4180 CSV (comma-separated; quoted fields may hold commas, quotes as <c>""</c> and line breaks), read with Sep.
/// The text and label columns are named by header name or 0-based index, and both are required. The first row is a
/// header when a column is named by it, or when its label field looks like a header by
/// <see cref="LabelRule.FirstIsHeader"/>, so headerless files such as AG News, named by index, keep their first
/// example. Every row has as many fields as the first. Rows whose text is empty are errors, as in the line formats.
/// </summary>
internal static class CsvFormat
{
    public static (List<ClassificationExample> Examples, string? Header) Read(string path, string? textColumn, string? labelColumn)
    {
        CheckText(path);
        var rows = new List<(string Label, string Text, int Line)>();
        string[] first;
        int textIndex, labelIndex;
        bool namedByHeader;
        try
        {
            using var reader = Sep.New(',').Reader(o => o with { HasHeader = false, Unescape = true, DisableColCountCheck = true }).FromFile(path);
            bool any;
            while ((any = reader.MoveNext()) && IsBlank(reader.Current))
            {
            }
            if (!any) throw DataFile.Error(path, "has only blank lines, no examples.");
            var row0 = reader.Current;
            first = new string[row0.ColCount];
            for (int c = 0; c < first.Length; c++) first[c] = row0[c].ToString().Trim().TrimStart('\uFEFF');
            int firstLine = Line(row0);
            (textIndex, bool textByName) = Column(path, first, textColumn, "text");
            (labelIndex, bool labelByName) = Column(path, first, labelColumn, "label");
            if (textIndex == labelIndex) throw DataFile.Error(path, $"the text and label columns are the same column ({textIndex}).");
            namedByHeader = textByName || labelByName;
            rows.Add((first[labelIndex], first[textIndex], firstLine));
            while (reader.MoveNext())
            {
                var row = reader.Current;
                if (IsBlank(row)) continue;
                if (row.ColCount != first.Length)
                    throw DataFile.Error(path, Line(row), $"has {row.ColCount} fields, the first row (line {firstLine}) has {first.Length} (an unquoted comma or quote in a text?).");
                rows.Add((row[labelIndex].ToString().Trim(), row[textIndex].ToString().Trim(), Line(row)));
            }
        }
        catch (Exception ex) when (ex is not InvalidDataException and not IOException)
        {
            throw DataFile.Error(path, $"is not valid CSV: {ex.Message.ReplaceLineEndings(" ")}");
        }

        var canonical = rows.Select(r => r.Label.Length == 0 ? "" : LabelSet.Canonical(r.Label)).ToList();
        bool header = namedByHeader || (rows.Count > 1 && canonical[0].Length > 0 && LabelRule.FirstIsHeader(canonical[0], canonical.Skip(1).ToList()));
        var examples = new List<ClassificationExample>(rows.Count);
        foreach (var (label, text, line) in rows.Skip(header ? 1 : 0))
        {
            if (label.Length == 0) throw DataFile.Error(path, line, $"has an empty label (column {labelIndex}).");
            if (text.Length == 0) throw DataFile.Error(path, line, $"has the label {DataFile.Quote(label)} but an empty text (column {textIndex}).");
            examples.Add(ClassificationExample.ForText(label, text, line));
        }
        if (examples.Count == 0) throw DataFile.Error(path, "has a header but no rows.");
        return (examples, header ? string.Join(",", first) : null);
    }

    private static bool IsBlank(SepReader.Row row) => row.ColCount == 1 && row.Span.IsWhiteSpace();

    // The 1-based line where a row starts. Sep 0.17.1 reports line 2 for the first row of a file read without a
    // header; every row is a line or more (blank lines are rows too), so the first one starts at line 1.
    private static int Line(SepReader.Row row) => row.RowIndex == 0 ? 1 : row.LineNumberFrom;

    // The index of a column given by header name (first) or 0-based index; whether it was found by name.
    private static (int Index, bool ByName) Column(string path, string[] first, string? spec, string role)
    {
        string names = string.Join(", ", first.Select(n => DataFile.Quote(n, 30)));
        if (string.IsNullOrWhiteSpace(spec))
            throw DataFile.Error(path, $"a CSV file needs its {role} column named (--{role}-column, a header name or a 0-based index); the first row's fields are: {names}.");
        int byName = Array.FindIndex(first, n => string.Equals(n, spec.Trim(), StringComparison.Ordinal));
        if (byName < 0) byName = Array.FindIndex(first, n => string.Equals(n, spec.Trim(), StringComparison.OrdinalIgnoreCase));
        if (byName >= 0) return (byName, true);
        if (int.TryParse(spec, NumberStyles.None, CultureInfo.InvariantCulture, out int index) && index < first.Length) return (index, false);
        throw DataFile.Error(path, $"has no {role} column {DataFile.Quote(spec)} (by header name or 0-based index below {first.Length}); the first row's fields are: {names}.");
    }

    // Sep decodes leniently; this pass makes bytes that are not UTF-8 and NUL bytes errors that name their line.
    private static void CheckText(string path)
    {
        using var reader = new Utf8LineReader(path, strict: true);
        while (reader.MoveNext())
        {
        }
    }
}
