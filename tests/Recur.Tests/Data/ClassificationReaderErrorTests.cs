using Recur.Data;

namespace Recur.Tests.Data;

public class ClassificationReaderErrorTests
{
    // Reads text written to a temporary file; returns the error's message after checking it is one line naming the file.
    private static string Error(string name, string text, ClassificationFormat format = ClassificationFormat.Auto, string? textColumn = null, string? labelColumn = null)
    {
        using var dir = new DataTempFolder();
        string file = dir.Write(name, text);
        return Error(file, new ClassificationReadOptions { Format = format, TextColumn = textColumn, LabelColumn = labelColumn });
    }

    private static string Error(string file, ClassificationReadOptions? options = null)
    {
        var ex = Assert.Throws<InvalidDataException>(() => ClassificationReader.Read(file, options));
        Assert.StartsWith(file, ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
        return ex.Message[file.Length..];
    }

    [Fact]
    public void MissingFileFolderAndEmptyFiles()
    {
        using var dir = new DataTempFolder();
        string missing = Path.Combine(dir.Path, "nope.txt");
        var notFound = Assert.Throws<FileNotFoundException>(() => ClassificationReader.Read(missing));
        Assert.Contains(missing, notFound.Message);
        Assert.Equal(": is a folder, not a data file.", Error(dir.Path));
        Assert.Equal(": the file is empty.", Error(dir.Write("empty.txt", "")));
        Assert.Equal(": the file is empty.", Error(dir.WriteBytes("bom.txt", [0xEF, 0xBB, 0xBF])));
        Assert.Equal(": has only blank lines, no examples.", Error(dir.Write("blank.txt", "\n  \r\n\t\n")));
        Assert.Equal(": has only blank lines, no examples.", Error(dir.Write("blank2.txt", "\n\n"), new() { Format = ClassificationFormat.LabelTabText }));
    }

    [Fact]
    public void FilesOverOneGibibyteAreRefusedBeforeReading()
    {
        using var dir = new DataTempFolder();
        string file = Path.Combine(dir.Path, "huge.txt");
        using (var f = new FileStream(file, FileMode.CreateNew)) f.SetLength((1L << 30) + 1); // sparse: nothing is written
        string message = Error(file);
        Assert.Contains("files over 1 GiB are refused", message);
    }

    [Fact]
    public void BinaryAndNonUtf8FilesNameTheirLine()
    {
        using var dir = new DataTempFolder();
        Assert.Equal(" line 2: holds a NUL byte: this looks like a binary (or UTF-16) file, not UTF-8 text.",
            Error(dir.WriteBytes("nul.txt", [.. "1 fine\n"u8, (byte)'0', (byte)' ', 0, (byte)'x', (byte)'\n'])));
        Assert.StartsWith(" line 3: is not UTF-8 text",
            Error(dir.WriteBytes("latin1.txt", [.. "1 a\n0 b\n"u8, (byte)'1', (byte)' ', (byte)'c', 0xE9, (byte)'\n'])));
        Assert.StartsWith(" line 1: holds a NUL byte", Error(dir.WriteBytes("utf16.csv", [0xFF, 0xFE, (byte)'a', 0, (byte)',', 0])));
    }

    [Fact]
    public void UndetectableFormatListsTheFormatNames()
    {
        string message = Error("prose.txt", string.Join("\n", Enumerable.Range(0, 30).Select(i => $"word{i} and some more text")));
        Assert.Contains("could not detect the data format", message);
        Assert.Contains("--format (label-tab-text, label-text, text-tab-label, csv, ucr, ts)", message);
    }

    [Fact]
    public void LineFormatsNameTheLineWithoutALabelOrText()
    {
        Assert.Equal(" line 3: has no tab, but every line of a label-tab-text file is 'label<TAB>text': 'pos good'.",
            Error("mixed.txt", "pos\tgreat\nneg\tbad\npos good\nneg\tawful\n"));
        Assert.Equal(" line 2: has no tab, but every line of a text-tab-label file is 'text<TAB>label': 'dull 0'.",
            Error("mixed.txt", "great fun\t1\ndull 0\n", ClassificationFormat.TextTabLabel));
        Assert.Equal(" line 2: has the label 'pos' but no text after it.", Error("t.txt", "neg\tbad\npos\t  \n", ClassificationFormat.LabelTabText));
        Assert.Equal(" line 1: has the label '1' but no text before it.", Error("t.txt", " \t1\n", ClassificationFormat.TextTabLabel));
        Assert.Equal(" line 2: has no label before its first tab: '\\tgood'.", Error("t.txt", "neg\tbad\n\tgood\n", ClassificationFormat.LabelTabText));
        Assert.Equal(" line 2: has no label after its last tab: 'good\\t'.", Error("t.txt", "bad\t0\ngood\t\n", ClassificationFormat.TextTabLabel));
        Assert.Equal(" line 2: has the label '1' but no text after it (label-text lines are 'label text').",
            Error("t.txt", "0 bad\n1\n", ClassificationFormat.LabelSpaceText));
    }

    [Fact]
    public void CsvNeedsItsColumnsNamedAndRowsOfOneWidth()
    {
        const string csv = "id,text,label\n1,good,pos\n2,bad,neg\n";
        Assert.Equal(": a CSV file needs its text column named (--text-column, a header name or a 0-based index); the first row's fields are: 'id', 'text', 'label'.",
            Error("a.csv", csv));
        Assert.Equal(": has no label column 'sentiment' (by header name or 0-based index below 3); the first row's fields are: 'id', 'text', 'label'.",
            Error("a.csv", csv, textColumn: "text", labelColumn: "sentiment"));
        Assert.Contains("no text column '7'", Error("a.csv", csv, textColumn: "7", labelColumn: "label"));
        Assert.Equal(" line 3: has 4 fields, the first row (line 1) has 3 (an unquoted comma or quote in a text?).",
            Error("a.csv", "id,text,label\n1,good,pos\n2,bad, really,neg\n", textColumn: "text", labelColumn: "label"));
        Assert.Equal(" line 2: has the label 'pos' but an empty text (column 1).",
            Error("a.csv", "id,text,label\n1,\"  \",pos\n", textColumn: "text", labelColumn: "label"));
        Assert.Equal(" line 2: has an empty label (column 2).", Error("a.csv", "id,text,label\n1,fine,\n", textColumn: "text", labelColumn: "label"));
        Assert.Equal(" line 4: has 2 fields, the first row (line 3) has 3 (an unquoted comma or quote in a text?).",
            Error("a.csv", "\n\nid,text,label\n1,fine\n", textColumn: "text", labelColumn: "label"));
        using var dir = new DataTempFolder();
        Assert.Throws<ArgumentException>(() => ClassificationReader.Read(dir.Write("a.txt", "pos\tgood\nneg\tbad\n"), new() { TextColumn = "1" }));
    }

    [Theory]
    [InlineData("1 0.5 abc 2\n", " line 1: value 2 'abc' is not a number.")]
    [InlineData("1 0.5 NaN 2\n", " line 1: value 2 is NaN; missing values are not supported (pad or drop them first).")]
    [InlineData("1 0.5 -Infinity 2\n", " line 1: value 2 '-Infinity' is infinite (or too large for a float).")]
    [InlineData("1 0.5 1e39 2\n", " line 1: value 2 '1e39' is infinite (or too large for a float).")]
    [InlineData("1,0.5,,2\n", " line 1: has an empty value (two commas with nothing between them) after value 1.")]
    [InlineData("1 0.5 2\n-1\n", " line 2: has the label '-1' but no values: a zero-length series.")]
    public void UcrValuesMustBeFiniteNumbers(string text, string message) =>
        Assert.Equal(message, Error("s.txt", text, ClassificationFormat.Ucr));

    [Fact]
    public void RaggedUcrRowsNameBothLines()
    {
        string row96 = "1 " + string.Join(" ", Enumerable.Repeat("0.5", 96));
        string row95 = "-1 " + string.Join(" ", Enumerable.Repeat("0.5", 95));
        string text = string.Join("\n", Enumerable.Repeat(row96, 6).Append(row95)) + "\n";
        Assert.Equal(" line 7: has 95 values, line 1 has 96; every series of a UCR file has the same length.", Error("ECG.txt", text));
    }

    private const string TsHeader = "# comment\n@problemName p\n@dimensions 2\n@equalLength false\n@classLabel true 1 2\n@data\n";

    [Theory]
    [InlineData(TsHeader + "1,2:3,4:1\n1,2,3:1\n", " line 8: has 1 dimension, @dimensions (line 3) says 2.")]
    [InlineData(TsHeader + "1,2:3,4:5,6:1\n", " line 7: has 3 dimensions, @dimensions (line 3) says 2.")]
    [InlineData(TsHeader + "1,2,3:4,5:1\n", " line 7: dimension 2 has 2 values, dimension 1 has 3; the dimensions of a case need the same length.")]
    [InlineData(TsHeader + "1,2:3,4:7\n", " line 7: has the class label '7', which is not among @classLabel's 2 classes: 1, 2.")]
    [InlineData(TsHeader + "1,?:3,4:1\n", " line 7: dimension 1 value 2 is '?', a missing value; missing values are not supported.")]
    [InlineData(TsHeader + "1,2:3,NaN:1\n", " line 7: dimension 2 value 2 is NaN; missing values are not supported (pad or drop them first).")]
    [InlineData(TsHeader + "1,2:3,x:1\n", " line 7: dimension 2 value 2 'x' is not a number.")]
    [InlineData(TsHeader + ":3,4:1\n", " line 7: dimension 1 is empty: a zero-length series.")]
    [InlineData(TsHeader + "1,2,3\n", " line 7: has no ':' before a class label; a case is 'dimension:dimension:...:label'.")]
    [InlineData(TsHeader + "1,2:3,4:\n", " line 7: has no class label after its last ':'.")]
    [InlineData(TsHeader, ": has no cases after @data (line 6).")]
    [InlineData("@problemName p\n@classLabel true 1 2\n1,2:1\n", " line 3: comes before @data but is not an @ header line: '1,2:1'.")]
    [InlineData("@problemName p\n@classLabel true 1 2\n", ": has no @data line; a .ts file holds @ header lines (@problemName, @classLabel, ...), then @data, then one case per line.")]
    [InlineData("@timeStamps true\n@data\n", " line 1: @timeStamps is true: time-stamped .ts files are not supported.")]
    [InlineData("@classLabel false\n@data\n", " line 1: @classLabel is false: the cases have no class labels to learn.")]
    [InlineData("@dimensions two\n@data\n", " line 1: @dimensions must be followed by a positive whole number.")]
    [InlineData("@univariate true\n@dimensions 3\n@data\n", " line 2: says @dimensions 3, but @univariate is true.")]
    [InlineData("@equalLength true\n@classLabel true a b\n@data\n1,2:a\n1,2,3:b\n", " line 5: has 3 steps, the first case (line 4) has 2, and @equalLength is true.")]
    [InlineData("@equalLength true\n@seriesLength 3\n@classLabel true a\n@data\n1,2:a\n", " line 5: has 2 steps, @seriesLength says 3, and @equalLength is true.")]
    public void TsCasesMustMatchTheirHeader(string text, string message) =>
        Assert.Equal(message, Error("x.ts", text));
}
