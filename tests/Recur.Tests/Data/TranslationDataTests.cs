using Recur.Data;
using Recur.Models;
using Recur.NN;
using Recur.Optim;
using Recur.Training;

namespace Recur.Tests.Data;

/// <summary>Translation data: tokenizers by language, batches, the batch source's state, and a toy translation learnt through the trainer.</summary>
public class TranslationDataTests
{
    private static readonly string[] Words = ["one", "two", "three", "four", "five", "six"];
    private static readonly string[] Numerals = ["一", "二", "三", "四", "五", "六"];

    private static List<(string Source, string Target)> Pairs(int n, ulong seed)
    {
        var rng = new RandomGenerator(seed);
        var pairs = new List<(string, string)>();
        for (int i = 0; i < n; i++)
        {
            var digits = Enumerable.Range(0, 1 + rng.NextInt(5)).Select(_ => rng.NextInt(6)).ToArray();
            pairs.Add((string.Join(' ', digits.Select(d => Words[d])) + ".", string.Concat(digits.Select(d => Numerals[d])) + "。"));
        }
        return pairs;
    }

    [Fact]
    public void TokenizersFollowTheLanguageAndDetokenizeBack()
    {
        var en = new LanguageTokenizer("en", lowercase: true, splitPunctuation: true);
        Assert.Equal(["tom", "doesn't", "like", "it", "."], en.Tokenize("Tom doesn't like it."));
        Assert.Equal("tom doesn't like it, (really) .".Replace(" .", "."), en.Detokenize(["tom", "doesn't", "like", "it", ",", "(", "really", ")", "."]));
        var zh = new LanguageTokenizer("zh", lowercase: false, splitPunctuation: true);
        Assert.Equal(["我", "喜", "欢", "Tom", "。"], zh.Tokenize("我喜欢Tom。"));
        Assert.Equal("我喜欢Tom。", zh.Detokenize(["我", "喜", "欢", "Tom", "。"]));
        Assert.True(LanguageTokenizer.IsChinese("cmn") && LanguageTokenizer.IsChinese("zh-TW") && !LanguageTokenizer.IsChinese("en"));
    }

    [Fact]
    public void BatchesAreTimeFirstWithStartAndEndTokens()
    {
        var pairs = new List<(string, string)> { ("one two.", "一二。"), ("six.", "六。") };
        var en = new LanguageTokenizer("en", true, true);
        var zh = new LanguageTokenizer("zh", false, true);
        var sv = TranslationData.BuildVocabulary(pairs.Select(p => p.Item1), en);
        var tv = TranslationData.BuildVocabulary(pairs.Select(p => p.Item2), zh);
        Assert.Equal(["<pad>", "<unk>", "<s>", "</s>"], tv.Words.Take(4));
        var data = new TranslationData(pairs, en, zh, sv, tv);
        var b = data.Batch([1, 0]);
        int one = sv.GetId("one"), two = sv.GetId("two"), six = sv.GetId("six"), dot = sv.GetId(".");
        Assert.Equal([six, one, dot, two, 0, dot], b.Source);   // [S = 3, B = 2]
        Assert.Equal([2, 3], b.SourceLengths);
        int y1 = tv.GetId("一"), y2 = tv.GetId("二"), y6 = tv.GetId("六"), end = tv.GetId("。");
        Assert.Equal([2, 2, y6, y1, end, y2, 0, end], b.TargetInput);   // [T = 4, B = 2]: <s> first
        Assert.Equal([y6, y1, end, y2, 3, end, 0, 3], b.TargetOutput);  // </s> last
        Assert.Equal(7, b.TargetTokens);
    }

    [Fact]
    public void TheBatchSourceResumesTheSameBatches()
    {
        var pairs = Pairs(50, 1);
        var en = new LanguageTokenizer("en", true, true);
        var zh = new LanguageTokenizer("zh", false, true);
        var data = new TranslationData(pairs, en, zh, TranslationData.BuildVocabulary(pairs.Select(p => p.Source), en), TranslationData.BuildVocabulary(pairs.Select(p => p.Target), zh));
        var a = new TranslationBatchSource(data, 8, seed: 4);
        for (int i = 0; i < 9; i++) a.Next();
        var state = new CheckpointState();
        a.SaveState(state);
        var b = new TranslationBatchSource(data, 8, seed: 4);
        b.LoadState(state);
        for (int i = 0; i < 10; i++) Assert.Equal(a.Next().Indices, b.Next().Indices);
    }

    [Fact]
    public void AToyTranslationIsLearntThroughTheTrainer()
    {
        var train = Pairs(600, 2);
        var dev = Pairs(60, 3);
        var en = new LanguageTokenizer("en", true, true);
        var zh = new LanguageTokenizer("zh", false, true);
        var sv = TranslationData.BuildVocabulary(train.Select(p => p.Source), en);
        var tv = TranslationData.BuildVocabulary(train.Select(p => p.Target), zh);
        var trainData = new TranslationData(train, en, zh, sv, tv);
        var devData = new TranslationData(dev, en, zh, sv, tv);
        var model = new Seq2Seq(new Seq2SeqConfig
        {
            SourceVocabSize = sv.Size, TargetVocabSize = tv.Size, EmbeddingSize = 16, HiddenSize = 32, Attention = "bahdanau", Dropout = 0,
        }, new RandomGenerator(5));
        var trainer = new Trainer(model, new AdamW(model.NamedParameters(), 1e-2, weightDecay: 0),
            new TrainerOptions { MaxSteps = 240, EvalEvery = 80, Monitor = "val_bleu", Mode = MonitorMode.Max, Task = "translate" });
        Metrics Evaluate()
        {
            var batch = devData.Batch(Enumerable.Range(0, devData.Count).ToArray());
            var ids = model.Greedy(batch.Source, batch.SourceSteps, batch.Size, batch.SourceLengths, 12);
            var hyps = ids.Select(h => zh.Detokenize(h.Select(i => tv[i]).ToList())).ToList();
            return new Metrics { ["val_bleu"] = Bleu.Corpus(hyps, devData.Targets, BleuTokenization.Chinese).Score };
        }
        var result = trainer.Fit(new TranslationBatchSource(trainData, 32, seed: 6),
            b => CrossEntropyLoss.Compute(model.TeacherForced(model.Encode(b.Source, b.SourceSteps, b.Size, b.SourceLengths), b.TargetInput, b.TargetSteps),
                b.TargetOutput, ignoreIndex: 0), Evaluate);
        Assert.True(result.Best > 90, $"dev BLEU {result.Best}");
    }
}
