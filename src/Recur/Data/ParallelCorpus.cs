namespace Recur.Data;

/// <summary>One sentence pair of a parallel corpus and the line it came from.</summary>
/// <param name="First">The first column's sentence (Tatoeba: English).</param>
/// <param name="Second">The second column's sentence (Tatoeba: the other language).</param>
/// <param name="Line">1-based line number in the file (of the first file, for two aligned files).</param>
public sealed record SentencePair(string First, string Second, int Line);

/// <summary>
/// Parallel text for translation: Tatoeba's <c>first&lt;TAB&gt;second[&lt;TAB&gt;attribution...]</c> lines (as
/// manythings.org's <c>cmn.txt</c>: English, then Chinese), or two files aligned line by line. Blank lines are skipped
/// (in two files only where both are blank); a line without a tab, an empty side, bytes that are not UTF-8 and files of
/// different lengths are one-line errors naming the file and line.
/// </summary>
public static class ParallelCorpus
{
    /// <summary>The pairs of a tab-separated file.</summary>
    /// <exception cref="InvalidDataException">The file is empty, not UTF-8, or a line lacks a tab or one of its sides.</exception>
    public static IReadOnlyList<SentencePair> ReadTabSeparated(string path)
    {
        DataFile.Check(path, DataFile.MaxBytes);
        var pairs = new List<SentencePair>();
        using (var reader = new Utf8LineReader(path, strict: true, binaryHint: " (parallel text must be UTF-8)"))
        {
            while (reader.MoveNext())
            {
                if (reader.IsBlank) continue;
                int n = checked((int)reader.LineNumber);
                var line = reader.Line;
                int tab = line.IndexOf('\t');
                if (tab < 0) throw DataFile.Error(path, n, $"no tab between the two sentences in {DataFile.Quote(line)}.");
                var rest = line[(tab + 1)..];
                int end = rest.IndexOf('\t');
                var first = line[..tab].Trim();
                var second = (end < 0 ? rest : rest[..end]).Trim();
                if (first.IsEmpty) throw DataFile.Error(path, n, "the first sentence is empty.");
                if (second.IsEmpty) throw DataFile.Error(path, n, "the second sentence is empty.");
                pairs.Add(new SentencePair(new string(first), new string(second), n));
            }
        }
        if (pairs.Count == 0) throw DataFile.Error(path, "has only blank lines, no sentence pairs.");
        return pairs;
    }

    /// <summary>The pairs of two files aligned line by line.</summary>
    /// <exception cref="InvalidDataException">A file is empty or not UTF-8, one side of a pair is blank, or the files differ in length.</exception>
    public static IReadOnlyList<SentencePair> ReadAligned(string firstPath, string secondPath)
    {
        DataFile.Check(firstPath, DataFile.MaxBytes);
        DataFile.Check(secondPath, DataFile.MaxBytes);
        var pairs = new List<SentencePair>();
        using var a = new Utf8LineReader(firstPath, strict: true, binaryHint: " (parallel text must be UTF-8)");
        using var b = new Utf8LineReader(secondPath, strict: true, binaryHint: " (parallel text must be UTF-8)");
        while (true)
        {
            bool hasA = a.MoveNext(), hasB = b.MoveNext();
            if (!hasA && !hasB) break;
            if (hasA != hasB)
            {
                string shorter = hasA ? secondPath : firstPath;
                long lines = hasA ? b.LineNumber : a.LineNumber;
                throw DataFile.Error(shorter, $"ends after {DataFile.Count(lines)} lines, before the other file does: the two files must hold one sentence per line, aligned.");
            }
            if (a.IsBlank && b.IsBlank) continue;
            int n = checked((int)a.LineNumber);
            if (a.IsBlank) throw DataFile.Error(firstPath, n, "is blank where the other file has a sentence.");
            if (b.IsBlank) throw DataFile.Error(secondPath, n, "is blank where the other file has a sentence.");
            pairs.Add(new SentencePair(new string(a.Line.Trim()), new string(b.Line.Trim()), n));
        }
        if (pairs.Count == 0) throw DataFile.Error(firstPath, "has only blank lines, no sentences.");
        return pairs;
    }
}
