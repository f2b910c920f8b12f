namespace Recur.Data;

/// <summary>
/// The one-example-per-line text formats: <c>label&lt;TAB&gt;text</c> (split at the first tab),
/// <c>label text</c> (split at the first space or tab) and <c>text&lt;TAB&gt;label</c> (split at the last tab, so
/// the text may hold tabs and unbalanced quotes). Blank lines are skipped; label and text are trimmed. In the two tab
/// formats the first line is taken as a header when its label is not among the labels of the other lines, those form
/// a small label set, and they are numbers where it is not or there are enough of them (<see cref="LabelRule.FirstIsHeader"/>).
/// </summary>
internal static class TextLineFormat
{
    public static (List<ClassificationExample> Examples, string? Header) Read(string path, ClassificationFormat format)
    {
        var examples = new List<ClassificationExample>();
        string? firstLine = null;
        using (var reader = new Utf8LineReader(path, strict: true))
        {
            while (reader.MoveNext())
            {
                if (reader.IsBlank) continue;
                int n = checked((int)reader.LineNumber);
                string line = new(reader.Line);
                var (label, text) = Split(path, n, line, format);
                examples.Add(ClassificationExample.ForText(label, text, n));
                firstLine ??= line;
            }
        }
        if (examples.Count == 0) throw DataFile.Error(path, "has only blank lines, no examples.");
        string? header = null;
        if (format != ClassificationFormat.LabelSpaceText
            && LabelRule.FirstIsHeader(examples[0].Label, examples.Skip(1).Select(e => e.Label).ToList()))
        {
            header = firstLine;
            examples.RemoveAt(0);
        }
        return (examples, header);
    }

    private static (string Label, string Text) Split(string path, int n, string line, ClassificationFormat format)
    {
        string name = format.Name();
        if (format == ClassificationFormat.LabelSpaceText)
        {
            string t = line.Trim();
            int s = t.IndexOfAny([' ', '\t']);
            if (s < 0) throw DataFile.Error(path, n, $"has the label {DataFile.Quote(t)} but no text after it ({name} lines are 'label text').");
            return (t[..s], t[(s + 1)..].Trim());
        }
        int tab = format == ClassificationFormat.LabelTabText ? line.IndexOf('\t') : line.LastIndexOf('\t');
        if (tab < 0)
        {
            string shape = format == ClassificationFormat.LabelTabText ? "'label<TAB>text'" : "'text<TAB>label'";
            throw DataFile.Error(path, n, $"has no tab, but every line of a {name} file is {shape}: {DataFile.Quote(line)}.");
        }
        string before = line[..tab].Trim(), after = line[(tab + 1)..].Trim();
        var (label, text) = format == ClassificationFormat.LabelTabText ? (before, after) : (after, before);
        if (label.Length == 0)
            throw DataFile.Error(path, n, $"has no label {(format == ClassificationFormat.LabelTabText ? "before its first" : "after its last")} tab: {DataFile.Quote(line)}.");
        if (text.Length == 0)
            throw DataFile.Error(path, n, $"has the label {DataFile.Quote(label)} but no text {(format == ClassificationFormat.LabelTabText ? "after" : "before")} it.");
        return (label, text);
    }
}
