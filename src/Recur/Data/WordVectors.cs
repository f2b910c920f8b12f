using System.Globalization;

// V vocabulary, D dimension
namespace Recur.Data;

/// <summary>
/// Pretrained word vectors for a <see cref="WordVocabulary"/>, read from the common text formats: word2vec text and
/// fastText <c>.vec</c> (a first line <c>count dim</c>, then <c>word v1 ... vD</c> per line) and GloVe (no header; D
/// from the first line). The file is read line by line and only the vocabulary's words are kept, so a file of many
/// gigabytes needs memory only for [V, D]. Fields are separated by spaces or tabs; a line may end in a space; CRLF, a
/// byte-order mark and non-ASCII words are fine (bytes that are not UTF-8 become U+FFFD, as such words are rarely
/// wanted). Where a line has more fields than D + 1 and the field before the last D is not a number, the leading
/// fields are one word with spaces (as in GloVe 840B). Every line's field count is checked; values are parsed, and so
/// checked, on the lines that are kept. <c>&lt;pad&gt;</c> and <c>&lt;unk&gt;</c> are never looked up: their rows stay zero.
/// </summary>
public sealed class WordVectors
{
    private readonly int _vocabularyWords;

    private WordVectors(string path, int dimension, Tensor vectors, bool[] found, int foundCount, int lowercaseMatches, bool hasHeader)
    {
        SourcePath = path;
        Dimension = dimension;
        Vectors = vectors;
        Found = found;
        FoundCount = foundCount;
        LowercaseMatches = lowercaseMatches;
        HasHeader = hasHeader;
        _vocabularyWords = found.Length - 2;
    }

    /// <summary>The file read.</summary>
    public string SourcePath { get; }

    /// <summary>D: values per vector.</summary>
    public int Dimension { get; }

    /// <summary>[V, D]: row i is the vector of vocabulary word i, zero where the word was not found.</summary>
    public Tensor Vectors { get; }

    /// <summary>[V]: whether word i was found.</summary>
    public bool[] Found { get; }

    /// <summary>The number of vocabulary words found.</summary>
    public int FoundCount { get; }

    /// <summary>How many of them were found only by the lowercase fallback.</summary>
    public int LowercaseMatches { get; }

    /// <summary>Whether the file had a <c>count dim</c> header (word2vec, fastText) or not (GloVe).</summary>
    public bool HasHeader { get; }

    /// <summary>"found 12,345 of 16,000 vocabulary words (77.2%) in glove.txt, dimension 300".</summary>
    public string Describe()
    {
        double share = _vocabularyWords == 0 ? 0 : 100.0 * FoundCount / _vocabularyWords;
        string lower = LowercaseMatches > 0 ? $", {DataFile.Count(LowercaseMatches)} of them by lowercase" : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"found {DataFile.Count(FoundCount)} of {DataFile.Count(_vocabularyWords)} vocabulary words ({share:0.0}%) in {Path.GetFileName(SourcePath)}, dimension {Dimension}{lower}");
    }

    /// <summary>
    /// Reads the vectors of <paramref name="vocabulary"/>'s words from <paramref name="path"/>. An exact match wins;
    /// with <paramref name="lowercaseFallback"/>, a word not found exactly takes the first vector whose word is the same
    /// but for case (<c>Paris</c> for <c>paris</c> and the other way round).
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">
    /// The file is empty or holds no vectors, a line has the wrong number of values or a value that is not a finite
    /// number, or the header's dimension disagrees with the lines; the message names the file and line.
    /// </exception>
    public static WordVectors Load(string path, WordVocabulary vocabulary, bool lowercaseFallback = true)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        DataFile.Check(path, maxBytes: null);
        var matcher = new WordVectorMatcher(vocabulary, lowercaseFallback);
        var fields = new List<Range>();
        var ids = new List<int>();
        int dimension = 0, dimensionLine = 0;
        bool hasHeader = false, sawLine = false;
        Tensor? vectors = null;
        using (var reader = new Utf8LineReader(path, strict: false, " (binary word2vec files are not read; save them as text)"))
        {
            while (reader.MoveNext())
            {
                if (reader.IsBlank) continue;
                var line = reader.Line;
                long n = reader.LineNumber;
                Fields(line, fields);
                if (!sawLine)
                {
                    sawLine = true;
                    if (fields.Count == 2 && IsCount(line[fields[0]]) && IsCount(line[fields[1]], out int headerDim))
                    {
                        (hasHeader, dimension, dimensionLine) = (true, headerDim, (int)n);
                        continue;
                    }
                }
                if (dimension == 0)
                {
                    if (fields.Count < 2) throw DataFile.Error(path, n, "has a word but no values.");
                    (dimension, dimensionLine) = (fields.Count - 1, (int)n);
                }
                vectors ??= Allocate(path, vocabulary.Size, dimension);
                int wordEnd = WordEnd(path, n, line, fields, dimension, hasHeader, dimensionLine);
                var word = line[..fields[wordEnd - 1].End];
                matcher.Match(word, ids);
                if (ids.Count == 0) continue;
                var row = vectors.Span.Slice(ids[0] * dimension, dimension);
                Parse(path, n, line, fields, wordEnd, row);
                for (int k = 1; k < ids.Count; k++) row.CopyTo(vectors.Span.Slice(ids[k] * dimension, dimension));
            }
        }
        if (vectors is null) throw DataFile.Error(path, hasHeader ? "has a header line but no vectors." : "holds no vectors.");
        return new WordVectors(path, dimension, vectors, matcher.Found, matcher.FoundCount, matcher.LowercaseMatches, hasHeader);
    }

    // Fields are separated by runs of spaces and tabs.
    private static void Fields(ReadOnlySpan<char> line, List<Range> fields)
    {
        fields.Clear();
        int i = 0;
        while (i < line.Length)
        {
            while (i < line.Length && line[i] is ' ' or '\t') i++;
            int start = i;
            while (i < line.Length && line[i] is not (' ' or '\t')) i++;
            if (i > start) fields.Add(start..i);
        }
    }

    // The number of fields that make the word: 1, or more for a word with spaces; checks the count of values.
    private static int WordEnd(string path, long n, ReadOnlySpan<char> line, List<Range> fields, int dimension, bool hasHeader, int dimensionLine)
    {
        int words = fields.Count - dimension;
        if (words == 1 || (words > 1 && !IsNumber(line[fields[words - 1]]))) return words;
        string source = hasHeader ? $"the header (line {dimensionLine}) says {dimension}" : $"line {dimensionLine} has {dimension}";
        int values = fields.Count - 1;
        throw DataFile.Error(path, n, $"has {values} value{(values == 1 ? "" : "s")} after the word, {source}.");
    }

    private static void Parse(string path, long n, ReadOnlySpan<char> line, List<Range> fields, int wordEnd, Span<float> row)
    {
        for (int k = 0; k < row.Length; k++)
        {
            var text = line[fields[wordEnd + k]];
            if (!float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float v))
                throw DataFile.Error(path, n, $"value {k + 1} {DataFile.Quote(text)} is not a number.");
            if (!float.IsFinite(v)) throw DataFile.Error(path, n, $"value {k + 1} {DataFile.Quote(text)} is not finite.");
            row[k] = v;
        }
    }

    private static Tensor Allocate(string path, int size, int dimension)
    {
        if ((long)size * dimension > int.MaxValue)
            throw DataFile.Error(path, $"{DataFile.Count(size)} words of dimension {DataFile.Count(dimension)} do not fit in one tensor.");
        return new Tensor(size, dimension);
    }

    private static bool IsNumber(ReadOnlySpan<char> text) => float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    private static bool IsCount(ReadOnlySpan<char> text) => IsCount(text, out _);

    private static bool IsCount(ReadOnlySpan<char> text, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value > 0;
}
