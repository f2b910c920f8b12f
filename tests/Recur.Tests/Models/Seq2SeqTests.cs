// S source steps, T target steps, B batch, V target vocabulary
using Recur.Autograd;
using Recur.Models;
using Recur.NN;
using Recur.Optim;
using Recur.Tests.Autograd;

namespace Recur.Tests.Models;

/// <summary>The encoder-decoder: gradients through the whole model, batch independence, and toy tasks learnt in seconds.</summary>
public class Seq2SeqTests
{
    private const int Pad = 0, Bos = 2, Eos = 3, FirstSymbol = 4;

    // Sequences of ids (no specials) as time-first batches: the source [S, B], the decoder's inputs (<s> + target) and
    // outputs (target + </s>) [T, B], 0 past each length.
    internal static (int[] Source, int S, int[] Lengths, int[] TargetIn, int[] TargetOut, int T) Batch(IReadOnlyList<int[]> sources, IReadOnlyList<int[]> targets)
    {
        var b = Recur.Data.TranslationData.BatchOf(sources, targets);
        return (b.Source, b.SourceSteps, b.SourceLengths, b.TargetInput, b.TargetOutput, b.TargetSteps);
    }

    private static Seq2SeqConfig Tiny(string attention, string cell, bool bidirectional = true, bool feeding = true, bool tie = false, int layers = 1) => new()
    {
        SourceVocabSize = 7, TargetVocabSize = 7, EmbeddingSize = 3, HiddenSize = 3, Layers = layers, Cell = cell, Bidirectional = bidirectional,
        Attention = attention, InputFeeding = feeding, TieWeights = tie, Dropout = 0,
    };

    public static TheoryData<string, string, bool, bool, bool, int> Variants => new()
    {
        { "bahdanau", "gru", true, true, false, 1 },
        { "bahdanau", "lstm", true, true, false, 2 },
        { "dot", "gru", false, true, false, 1 },
        { "general", "lstm", true, true, true, 1 },
        { "concat", "gru", true, false, false, 1 },
        { "none", "lstm", false, true, false, 1 },
    };

    [Theory]
    [MemberData(nameof(Variants))]
    public void GradientsThroughTheWholeModelMatchCentralDifferences(string attention, string cell, bool bidirectional, bool feeding, bool tie, int layers)
    {
        var model = new Seq2Seq(Tiny(attention, cell, bidirectional, feeding, tie, layers), new RandomGenerator(5));
        var (src, s, lengths, tin, tout, t) = Batch([[4, 5, 6], [6, 4]], [[5, 4], [6, 6, 5]]);
        Variable Loss() => CrossEntropyLoss.Compute(model.TeacherForced(model.Encode(src, s, 2, lengths), tin, t), tout, ignoreIndex: Pad, labelSmoothing: 0.1);
        GradCheck.CheckParameters(Loss, model);
    }

    [Fact]
    public void ASentenceDecodesTheSameAloneAndInABatch()
    {
        var model = new Seq2Seq(Tiny("general", "lstm") with { EmbeddingSize = 8, HiddenSize = 8 }, new RandomGenerator(9));
        int[] sentence = [4, 5, 6, 4];
        var (src1, s1, len1, _, _, _) = Batch([sentence], [[4]]);
        var (src2, s2, len2, _, _, _) = Batch([[5, 6], sentence, [6, 6, 6, 5, 4, 5]], [[4], [4], [4]]);
        var alone = model.Greedy(src1, s1, 1, len1, 8);
        var inBatch = model.Greedy(src2, s2, 3, len2, 8);
        Assert.Equal(alone[0], inBatch[1]);
        using var _ = GradMode.NoGrad();
        model.SetTraining(false);
        var (l1, _, w1) = model.Step([Bos], model.Encode(src1, s1, 1, len1));
        var (l2, _, w2) = model.Step([Bos, Bos, Bos], model.Encode(src2, s2, 3, len2));
        for (int v = 0; v < 7; v++) Assert.Equal(l1.Value.Span[v], l2.Value.Span[7 + v], 1e-5f);
        for (int j = 0; j < 4; j++) Assert.Equal(w1!.Value.Span[j], w2!.Value.Span[6 + j], 1e-6f);
        Assert.Equal(0f, w2!.Value.Span[6 + 4]); // past the sentence's length
    }

    [Fact]
    public void ScheduledSamplingFeedsTheModelsOwnPredictions()
    {
        var model = new Seq2Seq(Tiny("general", "gru") with { EmbeddingSize = 6, HiddenSize = 6 }, new RandomGenerator(4));
        var (src, s, lengths, tin, _, t) = Batch([[4, 5, 6], [6, 4]], [[5, 4, 6], [6, 6]]);
        var forced = model.TeacherForced(model.Encode(src, s, 2, lengths), tin, t).Value.ToArray();
        // Ratio 0: every next input (where the gold one is not padding) is the previous step's most likely token.
        var sampled = model.TeacherForced(model.Encode(src, s, 2, lengths), tin, t, teacherForcing: 0, rng: new RandomGenerator(1)).Value.ToArray();
        var state = model.Encode(src, s, 2, lengths);
        int[] previous = [Bos, Bos];
        for (int step = 0; step < t; step++)
        {
            var (logits, next, _) = model.Step(previous, state);
            state = next;
            var row = logits.Value.ToArray();
            for (int i = 0; i < row.Length; i++) Assert.Equal(row[i], sampled[(step * 2 * 7) + i], 1e-6f);
            if (step + 1 == t) break;
            previous = Enumerable.Range(0, 2).Select(b => tin[((step + 1) * 2) + b] == Pad ? Pad
                : Enumerable.Range(1, 6).Where(j => j != Bos).MaxBy(j => row[(b * 7) + j])).ToArray();
        }
        Assert.NotEqual(forced, sampled); // the untrained model's guesses differ from the gold inputs
        Assert.Equal(forced, model.TeacherForced(model.Encode(src, s, 2, lengths), tin, t, teacherForcing: 1).Value.ToArray());
    }

    [Fact]
    public void TiedWeightsShareTheTargetEmbedding()
    {
        var model = new Seq2Seq(Tiny("bahdanau", "gru", tie: true), new RandomGenerator(1));
        var names = model.NamedParameters().Select(p => p.Key).ToList();
        Assert.Contains("out_bias", names);
        Assert.DoesNotContain("out.weight", names);
        Assert.Contains("tgt_embedding.weight", names);
        Assert.Throws<ArgumentException>(() => new Seq2Seq(Tiny("bahdanau", "gru", tie: true) with { EmbeddingSize = 4 }, new RandomGenerator(1)));
        Assert.Throws<ArgumentException>(() => new Seq2Seq(Tiny("dot", "gru", bidirectional: true), new RandomGenerator(1)));
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void TheParameterCountIsKnownBeforeBuildingAndAModelFileRebuildsTheModel(string attention, string cell, bool bidirectional, bool feeding, bool tie, int layers)
    {
        var config = Tiny(attention, cell, bidirectional, feeding, tie, layers) with { Bridge = layers == 2 ? "zeros" : "linear" };
        var model = new Seq2Seq(config, new RandomGenerator(2));
        Assert.Equal(model.ParameterCount, config.ParameterCount());
        string path = Path.Combine(Path.GetTempPath(), $"recur-s2s-{Guid.NewGuid():N}.safetensors");
        try
        {
            ModelFile.Save(model, path);
            var back = Assert.IsType<Seq2Seq>(ModelFile.Load(path));
            var (src, s, lengths, _, _, _) = Batch([[4, 5, 6], [6]], [[4], [4]]);
            Assert.Equal(model.Greedy(src, s, 2, lengths, 6), back.Greedy(src, s, 2, lengths, 6));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void TheConfigRoundTripsThroughJsonAndIsChecked()
    {
        var c = Tiny("general", "lstm", tie: true) with { Layers = 2, Bridge = "zeros" };
        var json = c.ToJson();
        Assert.Equal("general", (string?)json["attention"]);
        Assert.Equal(c, Seq2SeqConfig.FromJson(json));
        json["attention"] = "luong";
        Assert.Contains("attention", Assert.Throws<InvalidDataException>(() => Seq2SeqConfig.FromJson(json)).Message);
    }

    [Theory]
    [InlineData("bahdanau", "gru", false)]
    [InlineData("general", "lstm", true)]
    public void CopyAndReverseAreLearntInSeconds(string attention, string cell, bool reverse)
    {
        var rng = new RandomGenerator(11);
        int[] Sequence() => Enumerable.Range(0, 2 + rng.NextInt(4)).Select(_ => FirstSymbol + rng.NextInt(6)).ToArray();
        int[] Target(int[] x) => reverse ? x.Reverse().ToArray() : x;
        var config = new Seq2SeqConfig
        {
            SourceVocabSize = 10, TargetVocabSize = 10, EmbeddingSize = 16, HiddenSize = 32, Cell = cell, Attention = attention, Dropout = 0,
        };
        var model = new Seq2Seq(config, new RandomGenerator(3));
        var opt = new AdamW(model.NamedParameters(), 1e-2, weightDecay: 0);
        for (int step = 0; step < 250; step++)
        {
            var xs = Enumerable.Range(0, 32).Select(_ => Sequence()).ToList();
            var (src, s, lengths, tin, tout, t) = Batch(xs, xs.Select(Target).ToList());
            model.ZeroGrad();
            var loss = CrossEntropyLoss.Compute(model.TeacherForced(model.Encode(src, s, xs.Count, lengths), tin, t), tout, ignoreIndex: Pad);
            loss.Backward();
            opt.Step();
        }
        var test = Enumerable.Range(0, 64).Select(_ => Sequence()).ToList();
        var (tsrc, ts, tlen, _, _, _) = Batch(test, test);
        var decoded = model.Greedy(tsrc, ts, test.Count, tlen, 10);
        int exact = test.Where((x, i) => decoded[i].SequenceEqual(Target(x))).Count();
        Assert.True(exact >= 58, $"{exact} of 64 decoded exactly");
    }
}
