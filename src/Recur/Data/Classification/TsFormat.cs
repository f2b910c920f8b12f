// T time (steps of a case), F features (the .ts file's dimensions)
namespace Recur.Data;

/// <summary>
/// sktime / UEA <c>.ts</c> files: <c>#</c> comment lines, <c>@</c> header lines (keywords case-insensitive:
/// <c>@problemName</c>, <c>@timeStamps</c>, <c>@missing</c>, <c>@univariate</c>, <c>@dimensions</c>,
/// <c>@equalLength</c>, <c>@seriesLength</c>, <c>@classLabel true 1 2 ...</c>; others are ignored), then
/// <c>@data</c> and one case per line: the dimensions separated by <c>:</c>, the values of a dimension by <c>,</c>,
/// the class label after the last <c>:</c>. Every case has <c>@dimensions</c> dimensions (or as many as the first
/// case), all dimensions of a case the same length; cases may differ in length unless <c>@equalLength true</c>. A
/// label must be among those <c>@classLabel</c> lists, which are the data's classes. Time stamps, regression targets
/// and missing values (<c>?</c>, NaN) are not supported.
/// </summary>
internal static class TsFormat
{
    public static (List<ClassificationExample> Examples, LabelSet? Classes) Read(string path)
    {
        var header = new Header();
        var examples = new List<ClassificationExample>();
        var parts = new List<Range>();
        var values = new List<Range>();
        int dataLine = 0, firstCaseLine = 0, firstCaseDims = 0, firstCaseLength = 0;
        using (var reader = new Utf8LineReader(path, strict: true))
        {
            while (reader.MoveNext())
            {
                if (reader.IsBlank) continue;
                int n = checked((int)reader.LineNumber);
                var line = reader.Line.Trim();
                if (line[0] == '#') continue;
                if (dataLine == 0)
                {
                    if (line[0] != '@') throw DataFile.Error(path, n, $"comes before @data but is not an @ header line: {DataFile.Quote(line)}.");
                    if (header.Read(path, n, line)) dataLine = n;
                    continue;
                }
                Split(line, ':', parts);
                int dims = parts.Count - 1;
                if (dims == 0) throw DataFile.Error(path, n, "has no ':' before a class label; a case is 'dimension:dimension:...:label'.");
                int expected = header.Dimensions ?? (firstCaseLine == 0 ? dims : firstCaseDims);
                if (dims != expected)
                {
                    string source = header.Dimensions is null ? $"the first case (line {firstCaseLine}) has {expected}" : $"@dimensions (line {header.DimensionsLine}) says {expected}";
                    throw DataFile.Error(path, n, $"has {dims} dimension{(dims == 1 ? "" : "s")}, {source}.");
                }
                string label = line[parts[^1]].Trim().ToString();
                if (label.Length == 0) throw DataFile.Error(path, n, "has no class label after its last ':'.");
                if (header.Classes is { } classes && !classes.Contains(label))
                    throw DataFile.Error(path, n, $"has the class label {DataFile.Quote(label)}, which is not among @classLabel's {classes.Describe()}.");
                float[] series = Case(path, n, line, parts, values, out int length); // [T, F]
                if (firstCaseLine == 0)
                {
                    (firstCaseLine, firstCaseDims, firstCaseLength) = (n, dims, length);
                }
                if (header.EqualLength && length != (header.SeriesLength ?? firstCaseLength))
                {
                    string source = header.SeriesLength is int sl ? $"@seriesLength says {sl}" : $"the first case (line {firstCaseLine}) has {firstCaseLength}";
                    throw DataFile.Error(path, n, $"has {length} steps, {source}, and @equalLength is true.");
                }
                examples.Add(ClassificationExample.ForSeries(label, series, length, dims, n));
            }
        }
        if (dataLine == 0) throw DataFile.Error(path, "has no @data line; a .ts file holds @ header lines (@problemName, @classLabel, ...), then @data, then one case per line.");
        if (examples.Count == 0) throw DataFile.Error(path, $"has no cases after @data (line {dataLine}).");
        return (examples, header.Classes);
    }

    // The values of one case as [T, F], checking that every dimension has the same length.
    private static float[] Case(string path, int n, ReadOnlySpan<char> line, List<Range> parts, List<Range> values, out int length)
    {
        int dims = parts.Count - 1;
        length = 0;
        float[] series = [];
        for (int f = 0; f < dims; f++)
        {
            var dim = line[parts[f]];
            if (dim.IsWhiteSpace()) throw DataFile.Error(path, n, $"dimension {f + 1} is empty: a zero-length series.");
            Split(dim, ',', values);
            if (f == 0)
            {
                length = values.Count;
                series = new float[checked(length * dims)];
            }
            else if (values.Count != length)
            {
                throw DataFile.Error(path, n, $"dimension {f + 1} has {values.Count} values, dimension 1 has {length}; the dimensions of a case need the same length.");
            }
            for (int t = 0; t < length; t++)
                series[t * dims + f] = SeriesValue.Parse(path, n, dim[values[t]], $"dimension {f + 1} value {t + 1}");
        }
        return series;
    }

    private static void Split(ReadOnlySpan<char> text, char separator, List<Range> ranges)
    {
        ranges.Clear();
        foreach (var r in text.Split(separator)) ranges.Add(r);
    }

    // The @ lines before @data.
    private sealed class Header
    {
        public int? Dimensions { get; private set; }
        public int DimensionsLine { get; private set; }
        public bool EqualLength { get; private set; }
        public int? SeriesLength { get; private set; }
        public LabelSet? Classes { get; private set; }
        private bool? _univariate;

        // Reads one header line; true at @data.
        public bool Read(string path, int n, ReadOnlySpan<char> line)
        {
            string[] words = line[1..].ToString().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            string key = words.Length > 0 ? words[0].ToLowerInvariant() : "";
            switch (key)
            {
                case "data":
                    if (_univariate == true && Dimensions > 1)
                        throw DataFile.Error(path, DimensionsLine, $"says @dimensions {Dimensions}, but @univariate is true.");
                    Dimensions ??= _univariate == true ? 1 : null;
                    return true;
                case "timestamps":
                    if (Flag(path, n, words)) throw DataFile.Error(path, n, "@timeStamps is true: time-stamped .ts files are not supported.");
                    break;
                case "univariate":
                    _univariate = Flag(path, n, words);
                    break;
                case "dimension" or "dimensions":
                    Dimensions = Positive(path, n, words);
                    DimensionsLine = n;
                    break;
                case "equallength":
                    EqualLength = Flag(path, n, words);
                    break;
                case "serieslength":
                    SeriesLength = Positive(path, n, words);
                    break;
                case "targetlabel":
                    if (Flag(path, n, words)) throw DataFile.Error(path, n, "@targetLabel is true: this is a regression file; classification needs @classLabel.");
                    break;
                case "classlabel":
                    if (!Flag(path, n, words)) throw DataFile.Error(path, n, "@classLabel is false: the cases have no class labels to learn.");
                    if (words.Length > 2) Classes = new LabelSet(words[2..]);
                    break;
            }
            return false;
        }

        private static bool Flag(string path, int n, string[] words) =>
            words.Length >= 2 && bool.TryParse(words[1], out bool b)
                ? b
                : throw DataFile.Error(path, n, $"@{(words.Length > 0 ? words[0] : "")} must be followed by true or false.");

        private static int Positive(string path, int n, string[] words) =>
            words.Length == 2 && int.TryParse(words[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int v) && v > 0
                ? v
                : throw DataFile.Error(path, n, $"@{words[0]} must be followed by a positive whole number.");
    }
}
