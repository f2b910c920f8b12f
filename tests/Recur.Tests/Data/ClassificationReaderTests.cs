using Recur.Data;

namespace Recur.Tests.Data;

public class ClassificationReaderTests
{
    private static ClassificationData Read(string path, ClassificationFormat format = ClassificationFormat.Auto, string? text = null, string? label = null) =>
        ClassificationReader.Read(path, new ClassificationReadOptions { Format = format, TextColumn = text, LabelColumn = label });

    [Fact]
    public void LabelSpaceTextAsStsaBinary()
    {
        using var dir = new DataTempFolder();
        string file = dir.Write("stsa.binary.train", "1 a stirring , funny and finally transporting re-imagining\n0 apparently reassembled from the cutting-room floor\n\n1 it 's a charming and often affecting journey .\n0 the story is lame\n");
        var detected = ClassificationReader.Detect(file);
        Assert.Equal(ClassificationFormat.LabelSpaceText, detected.Format);
        Assert.Equal("label text: every line starts with a label and a space (2 labels: 0, 1)", detected.Reason);
        var data = Read(file);
        Assert.Equal(ClassificationKind.Text, data.Kind);
        Assert.Equal(ClassificationFormat.LabelSpaceText, data.Format);
        Assert.Equal(file, data.SourcePath);
        Assert.Equal(detected.Reason, data.DetectionReason);
        Assert.Equal(4, data.Count);
        Assert.Equal(["1", "0", "1", "0"], data.Examples.Select(e => e.Label));
        Assert.Equal("a stirring , funny and finally transporting re-imagining", data.Examples[0].Text);
        Assert.Equal(4, data.Examples[2].LineNumber); // the blank line 3 is skipped
        Assert.Equal(["0", "1"], data.Classes.Names);
        Assert.Equal([1, 0, 1, 0], data.LabelIds());
        Assert.Null(data.HeaderLine);
        Assert.Equal("4 texts of 2 classes: 0, 1, from stsa.binary.train (label-text)", data.Describe());
    }

    [Fact]
    public void TextTabLabelAsImdbSplitsAtTheLastTabSkipsTheHeaderAndKeepsU0085()
    {
        using var dir = new DataTempFolder();
        string file = dir.Write("imdb_labelled.txt",
            "sentence\tscore\r\n" +
            "A very, very slow-moving, aimless movie.  \t0\r\n" +
            "\"The best \"scene\tis the end\t1\r\n" +
            "Not bad\u0085at all\u2028really.\t1\r\n" +
            "Awful.\t0\r\n" +
            "Loved it.\t1"); // no final newline
        var detected = ClassificationReader.Detect(file);
        Assert.Equal(ClassificationFormat.TextTabLabel, detected.Format);
        Assert.Contains("ends with a tab and a label (2 labels: 0, 1; the first line is a header, 'sentence\\tscore')", detected.Reason);
        var data = Read(file);
        Assert.Equal("sentence\tscore", data.HeaderLine);
        Assert.Equal(5, data.Count);
        Assert.Equal("A very, very slow-moving, aimless movie.", data.Examples[0].Text);
        Assert.Equal(2, data.Examples[0].LineNumber);
        Assert.Equal("\"The best \"scene\tis the end", data.Examples[1].Text);
        Assert.Equal("Not bad\u0085at all\u2028really.", data.Examples[2].Text);
        Assert.Equal("Loved it.", data.Examples[4].Text);
        Assert.Equal(["0", "1", "1", "0", "1"], data.Examples.Select(e => e.Label));

        var given = Read(file, ClassificationFormat.TextTabLabel);
        Assert.Null(given.DetectionReason);
        Assert.Equal(5, given.Count);
    }

    [Fact]
    public void LabelTabTextWithBomAndLabelsOfWords()
    {
        using var dir = new DataTempFolder();
        string file = dir.WriteBytes("reviews.tsv", [0xEF, 0xBB, 0xBF, .. "pos\tgreat film\nneg\tdull\tand long\npos\tfine\nneg\tbad\n"u8]);
        var detected = ClassificationReader.Detect(file);
        Assert.Equal(ClassificationFormat.LabelTabText, detected.Format);
        Assert.Equal("label<TAB>text: every line starts with a label and a tab (2 labels: neg, pos)", detected.Reason);
        var data = Read(file);
        Assert.Equal(["pos", "neg", "pos", "neg"], data.Examples.Select(e => e.Label));
        Assert.Equal("dull\tand long", data.Examples[1].Text);
        Assert.Equal(["neg", "pos"], data.Classes.Names);
    }

    [Fact]
    public void CsvByHeaderNamesWithQuotedCommasQuotesAndLineBreaks()
    {
        using var dir = new DataTempFolder();
        string file = dir.Write("train.csv", "id,review,sentiment\r\n1,\"Great, really \"\"great\"\"\",positive\r\n2,\"two\nlines\",negative\r\n3,plain,positive\r\n");
        Assert.Equal(ClassificationFormat.Csv, ClassificationReader.Detect(file).Format);
        var data = Read(file, text: "review", label: "sentiment");
        Assert.Equal(ClassificationFormat.Csv, data.Format);
        Assert.Equal(["Great, really \"great\"", "two\nlines", "plain"], data.Texts());
        Assert.Equal(["positive", "negative", "positive"], data.Examples.Select(e => e.Label));
        Assert.Equal([2, 3, 5], data.Examples.Select(e => e.LineNumber));
        Assert.Equal("id,review,sentiment", data.HeaderLine);
    }

    [Fact]
    public void CsvByIndicesFindsAHeaderByItsLabel()
    {
        using var dir = new DataTempFolder();
        var data = Read(dir.Write("scores.csv", "text,score\ngood,1\nbad,0\n"), text: "0", label: "1");
        Assert.Equal("text,score", data.HeaderLine);
        Assert.Equal(["good", "bad"], data.Texts());
    }

    [Fact]
    public void ATinyFileKeepsAFirstLineOfARareWordLabel()
    {
        using var dir = new DataTempFolder();
        var data = Read(dir.Write("tiny.txt", "neutral\tso so\npos\tgood\npos\tgreat\nneg\tbad\n"), ClassificationFormat.LabelTabText);
        Assert.Null(data.HeaderLine);
        Assert.Equal(4, data.Count);
        string many = "label\ttext\n" + string.Concat(Enumerable.Range(0, 10).Select(i => i % 2 == 0 ? "pos\tgood\n" : "neg\tbad\n"));
        var headed = Read(dir.Write("headed.txt", many), ClassificationFormat.LabelTabText);
        Assert.Equal("label\ttext", headed.HeaderLine);
        Assert.Equal(10, headed.Count);
    }

    [Fact]
    public void HeaderlessCsvByIndexKeepsItsFirstRow()
    {
        using var dir = new DataTempFolder();
        string file = dir.WriteBytes("ag.csv", [0xEF, 0xBB, 0xBF, .. "\"3\",\"Wall St. Bears\",\"Short-sellers\"\n\"4\",\"Space\",\"x\"\n\"3\",\"Oil\",\"y\"\n\"1\",\"War\",\"z\"\n"u8]);
        var data = Read(file, text: "1", label: "0");
        Assert.Null(data.HeaderLine);
        Assert.Equal(["3", "4", "3", "1"], data.Examples.Select(e => e.Label));
        Assert.Equal("Wall St. Bears", data.Examples[0].Text);
        Assert.Equal(["1", "3", "4"], data.Classes.Names);
    }

    [Fact]
    public void UcrAsEcg200WithoutAFinalNewline()
    {
        using var dir = new DataTempFolder();
        string file = dir.Write("ECG200_TRAIN.txt",
            "  -1.0000000e+00   5.0205547e-01   5.4216615e-01   7.2238493e-01\n" +
            "   1.0000000e+00   1.4743120e-01   8.0477113e-01   3.6725320e-01");
        var detected = ClassificationReader.Detect(file);
        Assert.Equal(ClassificationFormat.Ucr, detected.Format);
        Assert.Equal("ucr: every line is numbers (a label, then the series values)", detected.Reason);
        var data = Read(file);
        Assert.Equal(ClassificationKind.Series, data.Kind);
        Assert.Equal(1, data.Features);
        Assert.Equal(["-1", "1"], data.Examples.Select(e => e.Label));
        Assert.Equal([3, 3], data.SeriesLengths());
        Assert.Equal([0.50205547f, 0.54216615f, 0.72238493f], data.Examples[0].Values!);
        Assert.Equal(["-1", "1"], data.Classes.Names);
        Assert.Throws<InvalidOperationException>(() => data.Texts());
    }

    [Theory]
    [InlineData("1,0.5,0.25\n2,1.5,-2\n")]
    [InlineData("1\t0.5\t0.25\r\n2\t1.5\t-2\r\n")]
    [InlineData("1, 0.5, 0.25,\n2 ,1.5 , -2\n")]
    public void UcrValuesMaySitBetweenCommasOrTabs(string text)
    {
        using var dir = new DataTempFolder();
        var data = Read(dir.Write("series.txt", text));
        Assert.Equal(ClassificationFormat.Ucr, data.Format);
        Assert.Equal([0.5f, 0.25f], data.Examples[0].Values!);
        Assert.Equal([1.5f, -2f], data.Examples[1].Values!);
    }

    [Fact]
    public void NumericCsvIsReadAsUcr()
    {
        using var dir = new DataTempFolder();
        string file = dir.Write("series.csv", "1,0.5,0.25\n2,1.5,-2\n");
        Assert.Equal(ClassificationFormat.Ucr, ClassificationReader.Detect(file).Format);
    }

    [Fact]
    public void TsAsJapaneseVowelsIsTimeMajorWithItsClassList()
    {
        using var dir = new DataTempFolder();
        string text =
            "#A UCI Archive dataset.\n#Paper: somebody (1999).\n@problemName JapaneseVowels\n@timeStamps false\n@missing false\n" +
            "@univariate false\n@dimensions 2\n@equalLength false\n@classLabel true 1 2 3\n@data\n" +
            "1.0,2.0,3.0:4.0,5.0,6.0:1\n" +
            "\n" +
            "-1.5,2.5:0.5,0.25:3\r\n";
        string file = dir.Write("JapaneseVowels_TRAIN.ts", text);
        var data = Read(file);
        Assert.Equal(ClassificationFormat.Ts, data.Format);
        Assert.Equal(2, data.Features);
        Assert.Equal([3, 2], data.SeriesLengths());
        Assert.Equal([1f, 4f, 2f, 5f, 3f, 6f], data.Examples[0].Values!); // [T, F]
        Assert.Equal([-1.5f, 0.5f, 2.5f, 0.25f], data.Examples[1].Values!);
        Assert.Equal(11, data.Examples[0].LineNumber);
        Assert.Equal(["1", "2", "3"], data.Classes.Names); // class 2 has no case here but keeps its index
        Assert.Equal([0, 2], data.LabelIds());

        string noExtension = dir.Write("vowels.txt", text);
        var detected = ClassificationReader.Detect(noExtension);
        Assert.Equal(ClassificationFormat.Ts, detected.Format);
        Assert.Contains("@ header lines", detected.Reason);
    }

    [Fact]
    public void TsWithoutDimensionsTakesTheFirstCase()
    {
        using var dir = new DataTempFolder();
        var data = Read(dir.Write("u.ts", "@problemName x\n@univariate true\n@classLabel true a b\n@data\n1,2,3:a\n4,5:b\n"));
        Assert.Equal(1, data.Features);
        Assert.Equal([3, 2], data.SeriesLengths());
    }

    [Fact]
    public void LabelIdsAgainstTheTrainingClassesNameTheLineOfAnUnknownLabel()
    {
        using var dir = new DataTempFolder();
        var train = Read(dir.Write("train.txt", "neg\ta\npos\tb\nneg\tc\npos\td\n"));
        var test = Read(dir.Write("test.txt", "pos\tx\nneutral\ty\n"), ClassificationFormat.LabelTabText);
        var ex = Assert.Throws<InvalidDataException>(() => test.LabelIds(train.Classes));
        Assert.EndsWith("test.txt line 2: label 'neutral' is not one of the 2 classes: neg, pos.", ex.Message);
        Assert.Equal([1], Read(dir.Write("t2.txt", "pos\tx\n"), ClassificationFormat.LabelTabText).LabelIds(train.Classes));
    }

    [Fact]
    public void FormatNamesParseAndFormat()
    {
        foreach (ClassificationFormat f in Enum.GetValues<ClassificationFormat>())
            Assert.Equal(f, ClassificationFormats.Parse(f.Name()));
        Assert.Equal("label-tab-text, label-text, text-tab-label, csv, ucr, ts", ClassificationFormats.FileFormatNames);
        Assert.Equal(ClassificationFormat.TextTabLabel, ClassificationFormats.Parse(" Text-Tab-Label "));
        Assert.False(ClassificationFormats.TryParse("tsv", out _));
        Assert.Contains("expected one of: auto, label-tab-text", Assert.Throws<ArgumentException>(() => ClassificationFormats.Parse("tsv")).Message);
    }
}
