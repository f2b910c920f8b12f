using Recur.Data;

namespace Recur.Tests.Data;

public class WordVectorsTests
{
    // <pad> <unk> the cat café paris dog
    private static readonly WordVocabulary s_vocabulary =
        WordVocabulary.Build([["the", "the", "the", "cat", "cat", "café", "café", "paris", "paris", "dog"]]);

    private static float[] Row(WordVectors v, string word) => v.Vectors[s_vocabulary.GetId(word)].ToArray();

    [Fact]
    public void Word2VecAndFastTextHeaderWithTrailingSpacesCrlfAndBom()
    {
        using var dir = new DataTempFolder();
        string file = dir.WriteBytes("wiki.vec", [0xEF, 0xBB, 0xBF, .. "5 3\r\nthe 0.1 0.2 0.3 \r\n, 1 1 1 \r\ncafé -1 -2 -3 \r\nunused 9 9 9 \r\ncat 1e-1 2.5E+0 -0 \r\n"u8]);
        var v = WordVectors.Load(file, s_vocabulary);
        Assert.True(v.HasHeader);
        Assert.Equal(3, v.Dimension);
        Assert.Equal([s_vocabulary.Size, 3], v.Vectors.ShapeArray);
        Assert.Equal([0.1f, 0.2f, 0.3f], Row(v, "the"));
        Assert.Equal([-1f, -2f, -3f], Row(v, "café"));
        Assert.Equal([0.1f, 2.5f, 0f], Row(v, "cat"));
        Assert.Equal([0f, 0f, 0f], Row(v, "dog"));
        Assert.Equal([0f, 0f, 0f], v.Vectors[WordVocabulary.PadId].ToArray());
        Assert.Equal(3, v.FoundCount);
        Assert.Equal([false, false, true, true, true, false, false], v.Found);
        Assert.Equal("found 3 of 5 vocabulary words (60.0%) in wiki.vec, dimension 3", v.Describe());
    }

    [Fact]
    public void GloVeWithoutHeaderTakesItsDimensionFromTheFirstLine()
    {
        using var dir = new DataTempFolder();
        string file = dir.Write("glove.txt", "the 0.5 -0.5\ndog 1 2\n. . . 7 8\nParis 3 4");
        var v = WordVectors.Load(file, s_vocabulary);
        Assert.False(v.HasHeader);
        Assert.Equal(2, v.Dimension);
        Assert.Equal([0.5f, -0.5f], Row(v, "the"));
        Assert.Equal([3f, 4f], Row(v, "paris")); // by the lowercase fallback
        Assert.Equal(3, v.FoundCount);
        Assert.Equal(1, v.LowercaseMatches);
        Assert.EndsWith(", 1 of them by lowercase", v.Describe());
        var exactOnly = WordVectors.Load(file, s_vocabulary, lowercaseFallback: false);
        Assert.Equal(2, exactOnly.FoundCount);
        Assert.False(exactOnly.Found[s_vocabulary.GetId("paris")]);
    }

    [Fact]
    public void AnExactMatchWinsOverAnEarlierCaseVariant()
    {
        using var dir = new DataTempFolder();
        var v = WordVectors.Load(dir.Write("v.txt", "PARIS 1 1\nparis 2 2\nParis 3 3\n"), s_vocabulary);
        Assert.Equal([2f, 2f], Row(v, "paris"));
        Assert.Equal(1, v.FoundCount);
        Assert.Equal(0, v.LowercaseMatches);
    }

    [Theory]
    [InlineData("3 2\nthe 1 2\ncat 1 2 3\n", " line 3: has 3 values after the word, the header (line 1) says 2.")]
    [InlineData("3 4\nthe 1 2 3\n", " line 2: has 3 values after the word, the header (line 1) says 4.")]
    [InlineData("the 1 2\ncat 1\n", " line 2: has 1 value after the word, line 1 has 2.")]
    [InlineData("the 1 2\ncat 1 x\n", " line 2: value 2 'x' is not a number.")]
    [InlineData("the 1 nan\n", " line 1: value 2 'nan' is not finite.")]
    [InlineData("the\n", " line 1: has a word but no values.")]
    [InlineData("10 300\n", ": has a header line but no vectors.")]
    [InlineData("\n\n", ": holds no vectors.")]
    [InlineData("", ": the file is empty.")]
    public void BadFilesNameTheFileAndLine(string text, string message)
    {
        using var dir = new DataTempFolder();
        string file = dir.Write("bad.vec", text);
        var ex = Assert.Throws<InvalidDataException>(() => WordVectors.Load(file, s_vocabulary));
        Assert.Equal(file + message, ex.Message);
    }

    [Fact]
    public void BinaryWord2VecIsRefusedAndAMissingFileIsNamed()
    {
        using var dir = new DataTempFolder();
        string file = dir.WriteBytes("vectors.bin", [.. "2 2\nthe "u8, 0, 0, 0x80, 0x3F, 0, 0, 0, 0x40, (byte)'\n']);
        Assert.Contains("binary word2vec files are not read", Assert.Throws<InvalidDataException>(() => WordVectors.Load(file, s_vocabulary)).Message);
        string missing = Path.Combine(dir.Path, "none.vec");
        Assert.Contains(missing, Assert.Throws<FileNotFoundException>(() => WordVectors.Load(missing, s_vocabulary)).Message);
    }
}
