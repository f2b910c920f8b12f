using Recur.Data;

namespace Recur.Tests.Data;

/// <summary>Byte-pair encoding: the merges of Sennrich et al.'s example, encoding, decoding back, JSON.</summary>
public class BpeVocabularyTests
{
    // Sennrich et al. 2016's toy dictionary: low x5, lower x2, newest x6, widest x3.
    private static readonly string[][] Corpus =
        [.. Enumerable.Repeat(new[] { "low" }, 5), .. Enumerable.Repeat(new[] { "lower" }, 2), .. Enumerable.Repeat(new[] { "newest" }, 6), .. Enumerable.Repeat(new[] { "widest" }, 3)];

    [Fact]
    public void TheMostFrequentPairsMergeFirstWithTiesInOrdinalOrder()
    {
        var bpe = BpeVocabulary.Learn(Corpus, 4);
        // e s and s t</w> both occur 9 times: "e" sorts first; then es t</w> (9), l o (7), then a three-way tie at 6.
        Assert.Equal([("e", "s"), ("es", "t</w>"), ("l", "o"), ("e", "w")], bpe.Merges);
        Assert.Equal(["n", "ew", "est</w>"], bpe.EncodeWord("newest"));
        Assert.Equal(["lo", "w</w>"], bpe.EncodeWord("low"));
        Assert.Equal(["w", "i", "d", "est</w>"], bpe.EncodeWord("widest"));
    }

    [Fact]
    public void EncodingThenDecodingGivesTheWordsBackUnseenCharactersIncluded()
    {
        var bpe = BpeVocabulary.Learn(Corpus, 20);
        string[] words = ["lowest", "newer", "wider", "Ünïcode", "𠀀x", "a"];
        var units = bpe.Encode(words);
        Assert.Equal(words, BpeVocabulary.Decode(units));
        Assert.Contains("ï", units);                 // a character never seen stays a unit of its own
        Assert.Equal(["low</w>"], bpe.EncodeWord("low")); // enough merges make a frequent word one unit
        Assert.Equal(["ab"], BpeVocabulary.Decode(["a", "b"])); // a last word without its end mark is kept
    }

    [Fact]
    public void LearningStopsWhenNoPairRepeatsAndTheMergesRoundTripThroughJson()
    {
        var once = BpeVocabulary.Learn([["abc"]], 10);
        Assert.Empty(once.Merges); // every pair occurs once: nothing worth a unit
        var bpe = BpeVocabulary.Learn(Corpus, 6);
        var back = BpeVocabulary.FromJson(bpe.ToJson());
        Assert.Equal(bpe.Merges, back.Merges);
        Assert.Equal(bpe.EncodeWord("lowest"), back.EncodeWord("lowest"));
        Assert.Throws<InvalidDataException>(() => BpeVocabulary.FromJson("{\"merges\": [[\"a\"]]}"));
        Assert.Throws<InvalidDataException>(() => BpeVocabulary.FromJson("not json"));
    }
}
