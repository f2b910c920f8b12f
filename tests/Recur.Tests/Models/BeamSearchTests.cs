using Recur.Autograd;
using Recur.Models;

namespace Recur.Tests.Models;

/// <summary>Beam search: a beam of 1 is greedy decoding; a beam wide enough finds what exhaustive search finds.</summary>
public class BeamSearchTests
{
    private static Seq2Seq Model(string attention, string cell, int targetVocab, ulong seed) => new(new Seq2SeqConfig
    {
        SourceVocabSize = 8, TargetVocabSize = targetVocab, EmbeddingSize = 6, HiddenSize = 6, Cell = cell, Attention = attention,
        Bidirectional = attention != "dot", Dropout = 0.3,
    }, new RandomGenerator(seed));

    [Theory]
    [InlineData("bahdanau", "gru", 0.0)]
    [InlineData("general", "lstm", 0.6)]
    [InlineData("none", "gru", 1.0)]
    public void ABeamOfOneIsGreedyDecoding(string attention, string cell, double alpha)
    {
        var model = Model(attention, cell, 9, 4);
        var sources = new List<int[]> { new[] { 4, 5, 6 }, new[] { 7 }, new[] { 5, 5, 6, 7, 4 }, new[] { 6, 4 } };
        var (src, s, lengths, _, _, _) = Seq2SeqTests.Batch(sources, sources);
        var options = new BeamOptions(BeamSize: 1, LengthPenalty: alpha, MaxLengthRatio: 1.5);
        var greedy = model.Greedy(src, s, sources.Count, lengths, lengths.Select(options.MaxLength).ToArray());
        var beam = BeamSearch.Decode(model, src, s, sources.Count, lengths, options);
        for (int b = 0; b < sources.Count; b++) Assert.Equal(greedy[b], beam[b].Single().Tokens);
        Assert.True(model.IsTraining); // decoding leaves the mode as it found it
    }

    [Theory]
    [InlineData(0.0, 11UL)]
    [InlineData(0.6, 12UL)]
    [InlineData(2.0, 13UL)]
    public void AWideBeamFindsTheExhaustiveBestAndNarrowOnesNeverBeatIt(double alpha, ulong seed)
    {
        // Target ids: 0 pad, 1 unk, 2 <s>, 3 </s>, 4, 5: four tokens to choose from, outputs of at most 3 tokens.
        var model = Model("bahdanau", "gru", 6, seed);
        model.SetTraining(false);
        var (src, s, lengths, _, _, _) = Seq2SeqTests.Batch([new[] { 4, 6 }], [new[] { 4 }]);
        var options = new BeamOptions(BeamSize: 64, LengthPenalty: alpha, MaxLengthRatio: 1.5);
        int maxLength = options.MaxLength(2);
        Assert.Equal(3, maxLength);
        (int[] Tokens, double Score) best = ([], double.NegativeInfinity);
        using (GradMode.NoGrad())
        {
            void Walk(List<int> prefix, double logP, DecoderState state, int previous)
            {
                var (logits, next, _) = model.Step([previous], state);
                var row = logits.Value.Span;
                double max = double.NegativeInfinity, sum = 0;
                foreach (float x in row) max = Math.Max(max, x);
                foreach (float x in row) sum += Math.Exp(x - max);
                foreach (int token in new[] { 1, 3, 4, 5 })
                {
                    double score = logP + (row[token] - (max + Math.Log(sum)));
                    var tokens = new List<int>(prefix) { token };
                    if (token == 3 || tokens.Count >= maxLength)
                    {
                        double normalized = score / options.Penalty(tokens.Count);
                        if (normalized > best.Score) best = (token == 3 ? prefix.ToArray() : tokens.ToArray(), normalized);
                    }
                    else Walk(tokens, score, next, token);
                }
            }
            Walk([], 0, model.Encode(src, s, 1, lengths), 2);
        }
        var wide = BeamSearch.Decode(model, src, s, 1, lengths, options)[0].Single();
        Assert.Equal(best.Tokens, wide.Tokens);
        Assert.Equal(best.Score, wide.Score, 1e-6); // float32 decoder steps of 1 row and of 64 rows round differently
        foreach (int k in new[] { 1, 2, 3, 5 })
        {
            var narrow = BeamSearch.Decode(model, src, s, 1, lengths, options with { BeamSize = k })[0].Single();
            Assert.True(narrow.Score <= best.Score + 1e-6, $"beam {k} reports {narrow.Score}, above the exhaustive best {best.Score}");
        }
    }

    [Fact]
    public void NBestListsAreSortedAndBounded()
    {
        var model = Model("concat", "lstm", 9, 8);
        var sources = new List<int[]> { new[] { 4, 5, 6 }, new[] { 7, 7 } };
        var (src, s, lengths, _, _, _) = Seq2SeqTests.Batch(sources, sources);
        var lists = BeamSearch.Decode(model, src, s, 2, lengths, new BeamOptions(BeamSize: 4, NBest: 3));
        foreach (var list in lists)
        {
            Assert.InRange(list.Count, 1, 3);
            Assert.Equal(list.OrderByDescending(h => h.Score).Select(h => h.Score), list.Select(h => h.Score));
            Assert.All(list, h => Assert.True(h.LogProbability <= 0 && h.Tokens.All(t => t is not (0 or 2 or 3))));
        }
        Assert.Throws<ArgumentException>(() => BeamSearch.Decode(model, src, s, 2, lengths, new BeamOptions(BeamSize: 2, NBest: 3)));
    }
}
