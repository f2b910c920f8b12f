using System.Text.Json;
using Recur.Cli;
using Recur.Cli.Classify;
using Recur.Cli.Common;
using Recur.Tests.Cli;
using Recur.Training;

namespace Recur.Tests.Classify;

public sealed class ClassifyTests : IDisposable
{
    private readonly ClassifyTestKit _kit = new();

    public void Dispose() => _kit.Dispose();

    [Fact]
    public void TrainsOnSentencesThenEvaluatesAndPredicts()
    {
        string train = _kit.Sentences("train.txt", 240, 1), dev = _kit.Sentences("dev.txt", 60, 2), run = _kit.Dir("run");
        var result = ClassifyTestKit.Train(ClassifyTestKit.Tiny(train, dev, run));
        Assert.Equal(StopReason.MaxEpochs, result.Reason);
        Assert.True(result.Best >= 0.9, $"best validation accuracy {result.Best}");
        var records = MetricsLog.Read(Path.Combine(run, "metrics.jsonl"));
        Assert.Equal([1.0, 2, 3, 4, 5, 6], records.Select(r => r["epoch"]));
        Assert.All(records, r => Assert.True(r.Contains("val_accuracy") && r.Contains("val_macro_f1") && r.Contains("val_loss")));
        foreach (var png in new[] { "loss.png", "metrics.png" }) Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(Path.Combine(run, png))[..4]);

        string json = _kit.Dir("scores.json");
        var output = new StringWriter();
        Assert.Equal(0, ClassifyEval.Run(new ClassifyEvalOptions(run, dev, Json: json), output));
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var scores = doc.RootElement;
        Assert.Equal(60, scores.GetProperty("n").GetInt32());
        Assert.Equal(result.Best!.Value, scores.GetProperty("accuracy").GetDouble(), 12); // the best checkpoint, scored again
        Assert.InRange(scores.GetProperty("macro_f1").GetDouble(), 0, 1);
        Assert.Equal(2, scores.GetProperty("per_class").EnumerateObject().Count());
        Assert.Equal(60, scores.GetProperty("confusion").EnumerateArray().SelectMany(r => r.EnumerateArray()).Sum(c => c.GetInt32()));
        Assert.Contains("confusion (rows: true class, columns: predicted)", output.ToString());
        Assert.True(File.Exists(Path.Combine(run, "confusion.png")));

        var predictions = new StringWriter();
        Assert.Equal(0, ClassifyPredict.Run(new ClassifyPredictOptions(run, null), new StringReader("the film was superb\nawful and dull\nzyzzyva qwerty\n\n"), predictions));
        var lines = predictions.ToString().TrimEnd('\n').Split('\n');
        Assert.Equal(4, lines.Length); // unknown words and an empty line still get a prediction
        Assert.StartsWith("1\t", lines[0]);
        Assert.StartsWith("0\t", lines[1]);
        Assert.All(lines, l => Assert.InRange(double.Parse(l.Split('\t')[1], System.Globalization.CultureInfo.InvariantCulture), 0.5, 1.0));
    }

    [Fact]
    public void TrainsOnSeriesWithAStratifiedSplitAndPredictsRows()
    {
        string train = _kit.Waves("waves.txt", 80, 3), run = _kit.Dir("waves");
        var o = ClassifyTestKit.Tiny(train, null, run, epochs: 25) with { EmbeddingSize = null };
        var output = new StringWriter();
        var result = ClassifyTrain.Run(o, output, default);
        Assert.Contains("as ucr", output.ToString());
        Assert.Contains("to validate on (a seeded stratified 10% of waves.txt)", output.ToString());
        Assert.True(result.Best >= 0.85, $"best validation accuracy {result.Best}");
        var predictions = new StringWriter();
        string row = string.Join(",", Enumerable.Range(0, 24).Select(t => Math.Sin(1.2 * t).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        ClassifyPredict.Run(new ClassifyPredictOptions(run, null), new StringReader(row + "\n"), predictions);
        Assert.StartsWith("2\t", predictions.ToString());
        Assert.Contains("the model reads 1", Assert.Throws<UserErrorException>(() =>
            ClassifyPredict.Run(new ClassifyPredictOptions(run, null), new StringReader("1,2:3,4\n"), new StringWriter())).Message);
    }

    [Fact]
    public void AResumedRunReproducesTheUninterruptedRunBitForBit()
    {
        string train = _kit.Sentences("train.txt", 160, 4), dev = _kit.Sentences("dev.txt", 40, 5);
        string full = _kit.Dir("full"), split = _kit.Dir("split");
        var tiny = ClassifyTestKit.Tiny(train, dev, full, epochs: 4) with { WordDropout = 0.2 };
        tiny = tiny with { Training = tiny.Training with { WeightAverage = 0.9 } }; // averaged weights are saved, the raw ones resumed from
        ClassifyTestKit.Train(tiny);
        // The first half stops after 2 epochs but keeps the full run's schedule, as an interrupted run would.
        var first = ClassifyTestKit.Train(tiny with { Training = tiny.Training with { Out = split, MaxEpochs = 2, DecaySteps = 80 } });
        Assert.Equal(2, first.Epoch);
        ClassifyTestKit.Train(new ClassifyTrainOptions { Training = new CommonTrainOptions { Resume = split, MaxEpochs = 4 } });
        var a = MetricsLog.Read(Path.Combine(full, "metrics.jsonl"));
        var b = MetricsLog.Read(Path.Combine(split, "metrics.jsonl"));
        Assert.Equal(4, a.Count);
        Assert.Equal(a.Select(r => (r["step"], r["train_loss"], r["val_loss"], r["val_accuracy"], r["lr"])), b.Select(r => (r["step"], r["train_loss"], r["val_loss"], r["val_accuracy"], r["lr"])));
        foreach (var file in new[] { "model.safetensors", "optimizer.safetensors", "state.safetensors", "vocab.json", "labels.json" })
            Assert.Equal(File.ReadAllBytes(Path.Combine(full, "last", file)), File.ReadAllBytes(Path.Combine(split, "last", file)));
    }

    [Fact]
    public void PoolingModesAndCellsAllTrain()
    {
        string train = _kit.Sentences("train.txt", 120, 6), dev = _kit.Sentences("dev.txt", 40, 7);
        foreach (var (pooling, cell) in new[] { ("last", "gru"), ("mean", "rnn"), ("attention", "lstm") })
        {
            var o = ClassifyTestKit.Tiny(train, dev, _kit.Dir($"{pooling}-{cell}"), epochs: 3) with { Pooling = pooling, Cell = cell, Layers = 2 };
            var r = ClassifyTestKit.Train(o);
            Assert.True(r.Best > 0.5, $"{pooling} {cell}: {r.Best}");
        }
    }

    [Fact]
    public void CharacterFeaturesSpellUnknownWordsAndSurviveSaving()
    {
        string train = _kit.Sentences("train.txt", 200, 10), dev = _kit.Sentences("dev.txt", 40, 11), run = _kit.Dir("chars");
        var output = new StringWriter();
        var result = ClassifyTrain.Run(ClassifyTestKit.Tiny(train, dev, run, epochs: 6) with { CharEmbeddingSize = 8, CharHiddenSize = 6 }, output, default);
        Assert.Contains("embedding 16 + character BiLSTM 2x6", output.ToString());
        Assert.True(result.Best >= 0.9, $"best validation accuracy {result.Best}");
        Assert.True(File.Exists(Path.Combine(run, "best", "chars.json")));
        // Two words the vocabulary lacks get different features from their spelling (without characters both would be <unk>).
        var predictions = new StringWriter();
        ClassifyPredict.Run(new ClassifyPredictOptions(run, null), new StringReader("the film was zzgreatzz\nthe film was qqawfulqq\n"), predictions);
        var probabilities = predictions.ToString().TrimEnd('\n').Split('\n').Select(l => l.Split('\t')).ToArray();
        Assert.NotEqual(probabilities[0], probabilities[1]);
        var json = _kit.Dir("chars.json");
        Assert.Equal(0, ClassifyEval.Run(new ClassifyEvalOptions(run, dev, Json: json), new StringWriter()));
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        Assert.Equal(result.Best!.Value, doc.RootElement.GetProperty("accuracy").GetDouble(), 12);
    }

    [SkippableFact]
    public void PredictionsRedirectedToAFileLandWhole()
    {
        Skip.IfNot(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "uses /bin/sh");
        string train = _kit.Sentences("train.txt", 60, 12), run = _kit.Dir("redirect");
        ClassifyTestKit.Train(ClassifyTestKit.Tiny(train, train, run, epochs: 1));
        string output = _kit.Dir("predictions.txt");
        var psi = new System.Diagnostics.ProcessStartInfo("/bin/sh") { RedirectStandardError = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add($"echo before > '{output}'; printf 'a good film\\nbad\\n' | dotnet '{Path.Combine(AppContext.BaseDirectory, "Recur.Cli.dll")}' classify predict --model '{run}' >> '{output}'");
        using var p = System.Diagnostics.Process.Start(psi)!;
        Assert.True(p.WaitForExit(60_000));
        Assert.Equal("", p.StandardError.ReadToEnd());
        var lines = File.ReadAllLines(output);
        Assert.Equal(3, lines.Length); // appended after the first line, not written over it
        Assert.Equal("before", lines[0]);
        Assert.All(lines[1..], l => Assert.Matches(@"^[01]\t0\.\d{4}$", l));
    }

    [Fact]
    public void PretrainedVectorsAreLoadedAndCounted()
    {
        string train = _kit.Sentences("train.txt", 80, 8), dev = _kit.Sentences("dev.txt", 20, 9);
        string vectors = _kit.Dir("vectors.vec");
        File.WriteAllText(vectors, "3 16\ngood " + string.Join(' ', Enumerable.Repeat("0.5", 16)) + "\nbad " + string.Join(' ', Enumerable.Repeat("-0.5", 16)) + "\nzebra " + string.Join(' ', Enumerable.Repeat("0.1", 16)) + "\n");
        var output = new StringWriter();
        ClassifyTrain.Run(ClassifyTestKit.Tiny(train, dev, _kit.Dir("vec"), epochs: 1) with { Vectors = vectors, FreezeVectors = true }, output, default);
        Assert.Contains("Vectors: found 2 of", output.ToString());
        Assert.Contains("; frozen.", output.ToString());
    }
}
