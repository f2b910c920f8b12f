// T time (values per series), F = 1 feature
namespace Recur.Data;

/// <summary>
/// UCR time series: one series per line, the label first and then the values, separated by whitespace or commas
/// (the old archive's <c>%e</c> text files, the 2018 archive's tab-separated files, comma-separated files). Every
/// series has the same length; the series are univariate (F = 1). Labels are canonicalized, so <c>-1.0000000e+00</c>
/// is the class <c>-1</c>. Values must be finite numbers: NaN (the 2018 archive's padding of unequal lengths) and
/// infinities are errors.
/// </summary>
internal static class UcrFormat
{
    public static List<ClassificationExample> Read(string path)
    {
        var examples = new List<ClassificationExample>();
        var fields = new List<Range>();
        int firstLine = 0, firstLength = 0;
        using var reader = new Utf8LineReader(path, strict: true);
        while (reader.MoveNext())
        {
            if (reader.IsBlank) continue;
            int n = checked((int)reader.LineNumber);
            var line = reader.Line;
            Fields(path, n, line, fields);
            string label = line[fields[0]].ToString();
            int length = fields.Count - 1;
            if (length == 0) throw DataFile.Error(path, n, $"has the label {DataFile.Quote(label)} but no values: a zero-length series.");
            if (firstLine == 0)
            {
                firstLine = n;
                firstLength = length;
            }
            else if (length != firstLength)
            {
                throw DataFile.Error(path, n, $"has {DataFile.Count(length)} values, line {firstLine} has {DataFile.Count(firstLength)}; every series of a UCR file has the same length.");
            }
            var values = new float[length]; // [T, 1]
            for (int k = 0; k < length; k++) values[k] = SeriesValue.Parse(path, n, line[fields[k + 1]], $"value {k + 1}");
            examples.Add(ClassificationExample.ForSeries(label, values, length, 1, n));
        }
        if (examples.Count == 0) throw DataFile.Error(path, "has only blank lines, no series.");
        return examples;
    }

    // The fields of a line: runs of characters other than whitespace and commas. Whitespace around a comma is part of
    // the separator; two commas with nothing between them are an empty value; one comma at the end is tolerated.
    private static void Fields(string path, int n, ReadOnlySpan<char> line, List<Range> fields)
    {
        fields.Clear();
        int i = 0;
        SkipSpace(line, ref i);
        while (i < line.Length)
        {
            int start = i;
            while (i < line.Length && line[i] != ',' && !char.IsWhiteSpace(line[i])) i++;
            if (i == start) throw DataFile.Error(path, n, $"has an empty value (two commas with nothing between them) after value {fields.Count - 1}.");
            fields.Add(start..i);
            SkipSpace(line, ref i);
            if (i < line.Length && line[i] == ',')
            {
                i++;
                SkipSpace(line, ref i);
            }
        }
    }

    private static void SkipSpace(ReadOnlySpan<char> line, ref int i)
    {
        while (i < line.Length && char.IsWhiteSpace(line[i])) i++;
    }
}
