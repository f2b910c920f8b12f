using Recur.Data;

namespace Recur.Tests.Data;

public class WordVocabularyTests
{
    private static readonly string[][] s_sentences =
    [
        ["the", "cat", "sat"],
        ["the", "dog", "sat", "<unk>"],
        ["a", "cat", "the"],
    ];

    [Fact]
    public void SpecialsFirstThenByDescendingCountTiesOrdinal()
    {
        var v = WordVocabulary.Build(s_sentences);
        Assert.Equal(["<pad>", "<unk>", "the", "cat", "sat", "a", "dog"], v.Words);
        Assert.Equal(WordVocabulary.PadToken, v[WordVocabulary.PadId]);
        Assert.Equal(WordVocabulary.UnknownToken, v[WordVocabulary.UnknownId]);
        Assert.Equal(3, v.Count("the"));
        Assert.Equal(0, v.Count("zebra"));
        Assert.True(v.TryGetId("dog", out int dog));
        Assert.Equal(6, dog);
        Assert.False(v.TryGetId("zebra", out _));
    }

    [Fact]
    public void EncodeMapsUnknownWordsToUnk()
    {
        var v = WordVocabulary.Build(s_sentences);
        Assert.Equal([2, 3, 1, 1], v.Encode(["the", "cat", "zebra", "The"]));
        Assert.Empty(v.Encode([]));
    }

    [Fact]
    public void MinCountAndMaxSizeLimitTheWords()
    {
        Assert.Equal(["<pad>", "<unk>", "the", "cat", "sat"], WordVocabulary.Build(s_sentences, minCount: 2).Words);
        Assert.Equal(["<pad>", "<unk>", "the", "cat"], WordVocabulary.Build(s_sentences, maxSize: 4).Words);
        Assert.Equal(2, WordVocabulary.Build(s_sentences, maxSize: 2).Size);
        Assert.Throws<ArgumentOutOfRangeException>(() => WordVocabulary.Build(s_sentences, minCount: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => WordVocabulary.Build(s_sentences, maxSize: 1));
        Assert.Throws<ArgumentException>(() => WordVocabulary.Build([["a", ""]]));
    }

    [Fact]
    public void RoundTripsThroughJsonWithCountsAndNonAsciiWords()
    {
        var v = WordVocabulary.Build([["café", "naïve", "日本", "\"quoted\"", "café"]]);
        string json = v.ToJson();
        Assert.Contains("café", json);
        var back = WordVocabulary.FromJson(json);
        Assert.Equal(v.Words, back.Words);
        Assert.Equal(2, back.Count("café"));
        Assert.Equal(v.Encode(["日本", "x"]), back.Encode(["日本", "x"]));
        Assert.Equal(1, WordVocabulary.FromJson("{\"words\": [\"<pad>\", \"<unk>\", \"a\"]}").GetId("zzz"));
    }

    [Theory]
    [InlineData("{", "not valid JSON")]
    [InlineData("[]", "not a JSON object")]
    [InlineData("{\"counts\": []}", "no \"words\" list")]
    [InlineData("{\"words\": [\"<pad>\", \"<unk>\", \"a\", \"a\"]}", "\"a\" twice (ids 2 and 3)")]
    [InlineData("{\"words\": [\"<unk>\", \"<pad>\", \"a\"]}", "must start with")]
    [InlineData("{\"words\": [\"<pad>\"]}", "must start with")]
    [InlineData("{\"words\": [\"<pad>\", \"<unk>\", 3]}", "entry 2 is not a non-empty string")]
    [InlineData("{\"words\": [\"<pad>\", \"<unk>\", \"\"]}", "entry 2 is not a non-empty string")]
    [InlineData("{\"words\": [\"<pad>\", \"<unk>\", \"a\"], \"counts\": [0, 0]}", "list of 3 counts")]
    [InlineData("{\"words\": [\"<pad>\", \"<unk>\", \"a\"], \"counts\": [0, 0, -1]}", "count 2 is not a non-negative integer")]
    [InlineData("{\"words\": [\"<pad>\", \"<unk>\", \"a\"], \"counts\": [0, 0, 1.5]}", "count 2 is not a non-negative integer")]
    public void StrictJsonRejectsMalformedVocabularies(string json, string message)
    {
        var ex = Assert.Throws<InvalidDataException>(() => WordVocabulary.FromJson(json));
        Assert.Contains(message, ex.Message);
    }
}
