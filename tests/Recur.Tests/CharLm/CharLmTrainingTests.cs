using System.Text.Json;
using Recur.Cli.CharLm;
using Recur.Models;
using Recur.Training;

namespace Recur.Tests.CharLm;

public class CharLmTrainingTests
{
    [Theory]
    [InlineData("lstm")]
    [InlineData("gru")]
    [InlineData("rnn")]
    public void TrainsLearnsAndSamples(string cell)
    {
        using var kit = new CharLmTestKit();
        string run = kit.Dir("run");
        var outcome = CharLmTestKit.Train(kit.Tiny(run, maxSteps: 60, evalEvery: 30, cell: cell));
        Assert.Equal(StopReason.MaxSteps, outcome.Reason);
        var records = MetricsLog.Read(Path.Combine(run, "metrics.jsonl"));
        Assert.Equal([30.0, 60.0], records.Select(r => r["step"]));
        double unigram = Recur.Data.TextCorpus.FromText(CharLmTestKit.SmallText).UnigramValidationLoss();
        Assert.True(records[^1]["val_loss"] < unigram, $"{cell}: validation {records[^1]["val_loss"]:F3} should beat the unigram baseline {unigram:F3}");

        string sample = CharLmTestKit.Sample(run, "ROMEO:", 80);
        Assert.StartsWith("ROMEO:", sample);
        Assert.Equal(6 + 80 + Environment.NewLine.Length, sample.Length); // the prompt, 80 characters, a final newline
    }

    [Fact]
    public void MetricsLinesHaveTheDocumentedKeysAndThePlotIsAPng()
    {
        using var kit = new CharLmTestKit();
        string run = kit.Dir("run");
        CharLmTestKit.Train(kit.Tiny(run, maxSteps: 20, evalEvery: 10));
        var lines = File.ReadAllLines(Path.Combine(run, "metrics.jsonl"));
        Assert.Equal(2, lines.Length);
        foreach (var line in lines)
        {
            using var doc = JsonDocument.Parse(line);
            var keys = doc.RootElement.EnumerateObject().Select(p => p.Name).ToArray();
            Assert.Equal(["step", "epoch", "train_loss", "val_loss", "lr", "chars_per_s", "elapsed_s"], keys);
            Assert.All(doc.RootElement.EnumerateObject(), p => Assert.Equal(JsonValueKind.Number, p.Value.ValueKind));
        }
        byte[] png = File.ReadAllBytes(Path.Combine(run, "loss.png"));
        Assert.True(png.Length > 1000);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        Assert.Empty(Directory.GetFiles(run, "*.tmp*"));
    }

    [Fact]
    public void CheckpointRoundTripSamplesTheSameAsTheModelInMemory()
    {
        using var kit = new CharLmTestKit();
        string run = kit.Dir("run");
        CharLmTestKit.Train(kit.Tiny(run, maxSteps: 10, evalEvery: 10));
        string last = Path.Combine(run, RunFolder.LastName);
        var (model, vocabulary, _) = CharLmCheckpoint.LoadModel(last);
        // The model in memory, from the same weights saved again and loaded back through a model file.
        string file = kit.Dir("model.safetensors");
        ModelFile.Save(model, file);
        var reloaded = Assert.IsType<Recur.Models.CharLm>(ModelFile.Load(file));
        Assert.Equal(model.ToString(), reloaded.ToString());
        var inMemory = Generate(model, vocabulary);
        Assert.Equal(inMemory, Generate(reloaded, vocabulary));
        Assert.Equal(inMemory, CharLmTestKit.Sample(last, "ROMEO:", 100, seed: 11).TrimEnd('\n'));
    }

    private static string Generate(Recur.Models.CharLm model, Recur.Data.CharVocabulary vocabulary)
    {
        var sb = new System.Text.StringBuilder("ROMEO:");
        new CharLmSampler(model).Generate(vocabulary.Encode("ROMEO:"), 100, 0.9, 0, new RandomGenerator(11), id => sb.Append(vocabulary[id]));
        return sb.ToString();
    }

    [Fact]
    public void ResumedRunReproducesTheUninterruptedRunBitForBit()
    {
        using var kit = new CharLmTestKit();
        string full = kit.Dir("full"), split = kit.Dir("split");
        CharLmTestKit.Train(kit.Tiny(full, maxSteps: 30, evalEvery: 5));
        // The first half stops at step 15 but keeps the full run's schedule (--decay-steps), as an interrupted run would.
        var first = CharLmTestKit.Train(kit.Tiny(split, maxSteps: 15, evalEvery: 5, decaySteps: 30));
        Assert.Equal(15, first.Step);
        var resumed = CharLmTestKit.Train(CharLmTestKit.Resume(split, maxSteps: 30));
        Assert.Equal(30, resumed.Step);

        var a = MetricsLog.Read(Path.Combine(full, "metrics.jsonl"));
        var b = MetricsLog.Read(Path.Combine(split, "metrics.jsonl"));
        Assert.Equal(6, a.Count);
        Assert.Equal(a.Select(r => (r["step"], r["train_loss"], r["val_loss"], r["lr"])), b.Select(r => (r["step"], r["train_loss"], r["val_loss"], r["lr"])));
        foreach (var file in new[] { "model.safetensors", "optimizer.safetensors", "state.safetensors" })
            Assert.Equal(File.ReadAllBytes(Path.Combine(full, "last", file)), File.ReadAllBytes(Path.Combine(split, "last", file)));
    }

    [Fact]
    public void EarlyStoppingEndsTheRunAndKeepsTheBestCheckpoint()
    {
        using var kit = new CharLmTestKit();
        string run = kit.Dir("run");
        // A huge learning rate makes the validation loss stop improving quickly.
        var tiny = kit.Tiny(run, maxSteps: 400, evalEvery: 2);
        var outcome = CharLmTestKit.Train(tiny with { Training = tiny.Training with { LearningRate = 0.5, GradClip = 0, Patience = 2 } });
        Assert.Equal(StopReason.EarlyStopping, outcome.Reason);
        Assert.True(outcome.Step < 400);
        var best = Checkpoint.Load(Path.Combine(run, "best"), CharLmTrain.Task);
        Assert.Equal(outcome.BestStep, best.Step);
    }

    [Fact]
    public void CancellationSavesACheckpointThatResumes()
    {
        using var kit = new CharLmTestKit();
        string run = kit.Dir("run");
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var outcome = CharLmTestKit.Train(kit.Tiny(run, maxSteps: 20), cts.Token);
        Assert.Equal(StopReason.Interrupted, outcome.Reason);
        Assert.NotNull(Checkpoint.Find(run, preferLast: true));
        Assert.Equal(20, CharLmTestKit.Train(CharLmTestKit.Resume(run)).Step); // the first run's --max-steps
    }
}
