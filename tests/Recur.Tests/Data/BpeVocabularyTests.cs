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
    public void TheIncrementalLearnerGivesThePlainRecountsMerges()
    {
        var rng = new RandomGenerator(3);
        var sentences = Enumerable.Range(0, 300).Select(_ => (IReadOnlyList<string>)Enumerable.Range(0, 1 + rng.NextInt(6))
            .Select(_ => new string(Enumerable.Range(0, 1 + rng.NextInt(7)).Select(_ => "abcde"[rng.NextInt(5)]).ToArray())).ToArray()).ToList();
        Assert.Equal(PlainMerges(sentences, 60), BpeVocabulary.Learn(sentences, 60).Merges);
    }

    // The definition, directly: count every adjacent pair over all words each time, merge the most frequent.
    private static List<(string, string)> PlainMerges(IEnumerable<IReadOnlyList<string>> sentences, int merges)
    {
        var words = sentences.SelectMany(s => s).GroupBy(w => w, StringComparer.Ordinal)
            .Select(g => (Units: g.Key.Select(c => c.ToString()).ToList(), Count: (long)g.Count())).ToList();
        foreach (var w in words) w.Units[^1] += BpeVocabulary.EndOfWord;
        var learnt = new List<(string, string)>();
        while (learnt.Count < merges)
        {
            var pairs = new Dictionary<(string, string), long>();
            foreach (var (units, count) in words)
                for (int i = 0; i + 1 < units.Count; i++) pairs[(units[i], units[i + 1])] = pairs.GetValueOrDefault((units[i], units[i + 1])) + count;
            var best = pairs.Where(p => p.Value >= 2).OrderByDescending(p => p.Value).ThenBy(p => p.Key.Item1, StringComparer.Ordinal)
                .ThenBy(p => p.Key.Item2, StringComparer.Ordinal).Select(p => p.Key).FirstOrDefault();
            if (best == default) break;
            learnt.Add(best);
            foreach (var (units, _) in words)
                for (int i = 0; i + 1 < units.Count; i++)
                    if (units[i] == best.Item1 && units[i + 1] == best.Item2)
                    {
                        units[i] += units[i + 1];
                        units.RemoveAt(i + 1);
                    }
        }
        return learnt;
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
