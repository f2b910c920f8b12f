using System.Text.Json.Nodes;
using Recur.Autograd;
using Recur.IO;
using Recur.Models;
using Recur.NN;
using Recur.Optim;
using CharLmModel = Recur.Models.CharLm;

namespace Recur.Tests.NN;

[Collection(GlobalKernelState.Name)]
public sealed class ModelFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("recur-modelfile-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string> Kinds => new() { "lstm", "gru", "rnn", "linear", "embedding", "charlm", "classifier-text", "classifier-series" };

    private static Module Make(string kind, RandomGenerator rng) => kind switch
    {
        "lstm" => new Lstm(3, 5, 2, bidirectional: true, projSize: 2, rng: rng),
        "gru" => new Gru(3, 4, batchFirst: true, rng: rng),
        "rnn" => new Rnn(3, 4, nonlinearity: RnnNonlinearity.Relu, bias: false, rng: rng),
        "linear" => new Linear(4, 2, rng: rng),
        "embedding" => new Embedding(7, 3, paddingIndex: 0, rng: rng),
        "charlm" => new CharLmModel(new CharLmConfig { Cell = "gru", VocabSize = 9, EmbeddingSize = 4, HiddenSize = 6, Layers = 2 }, rng),
        "classifier-text" => new SequenceClassifier(new SequenceClassifierConfig { VocabSize = 20, EmbeddingSize = 5, HiddenSize = 4, Pooling = "attention", AttentionSize = 3, Classes = 3 }, rng),
        _ => new SequenceClassifier(new SequenceClassifierConfig { Input = "values", Features = 2, Projection = 3, Cell = "rnn", HiddenSize = 4, Layers = 2, Bidirectional = false, Pooling = "last", Classes = 2 }, rng),
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void AModelIsRebuiltFromItsFileAlone(string kind)
    {
        var module = Make(kind, new RandomGenerator(4));
        string file = Path.Combine(_dir, kind + ".safetensors");
        ModelFile.Save(module, file);
        var loaded = ModelFile.Load(file);
        Assert.Equal(module.GetType(), loaded.GetType());
        Assert.Equal(module.ToString(), loaded.ToString());
        var a = module.StateDict();
        foreach (var (name, t) in loaded.StateDict()) Assert.Equal(a[name].ToArray(), t.ToArray());
        var header = SafetensorsFile.ReadHeader(file);
        Assert.Equal(((IRebuildable)module).TypeName, header.Metadata[StateDictFile.ModuleKey]);
    }

    [Fact]
    public void RecurrentLayersSaveTorchsConstructorArguments()
    {
        string file = Path.Combine(_dir, "lstm.safetensors");
        StateDictFile.Save(new Lstm(3, 5, 2, bidirectional: true, projSize: 2), file);
        var meta = SafetensorsFile.ReadHeader(file).Metadata;
        Assert.Equal("LSTM", meta["module"]);
        var config = JsonNode.Parse(meta["config"])!.AsObject();
        Assert.Equal(["input_size", "hidden_size", "num_layers", "bias", "batch_first", "dropout", "bidirectional", "proj_size"], config.Select(kv => kv.Key));
        Assert.Equal(5, config["hidden_size"]!.GetValue<int>());
        Assert.True(config["bidirectional"]!.GetValue<bool>());
        Assert.Equal("relu", JsonNode.Parse(SaveAndRead(new Rnn(2, 2, nonlinearity: RnnNonlinearity.Relu)))!["nonlinearity"]!.GetValue<string>());
    }

    private string SaveAndRead(Module m)
    {
        string file = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".safetensors");
        StateDictFile.Save(m, file);
        return SafetensorsFile.ReadHeader(file).Metadata["config"];
    }

    [Fact]
    public void AConfigThatDoesNotMatchTheWeightsIsRefusedBeforeBuilding()
    {
        string file = Path.Combine(_dir, "small.safetensors");
        var lstm = new Lstm(3, 5);
        StateDictFile.Save(lstm, file, new Dictionary<string, string> { ["config"] = """{"input_size": 3, "hidden_size": 23000}""" });
        long before = GC.GetTotalAllocatedBytes();
        var ex = Assert.Throws<InvalidDataException>(() => ModelFile.Load(file));
        Assert.Contains("describes 2,116,460,000 parameters but the file holds 200", ex.Message.ReplaceLineEndings(" "));
        Assert.True(GC.GetTotalAllocatedBytes() - before < 16 << 20);
        StateDictFile.Save(lstm, file, new Dictionary<string, string> { ["module"] = "Transformer" });
        Assert.Contains("Transformer, which is not a registered module type", Assert.Throws<InvalidDataException>(() => ModelFile.Load(file)).Message);
        Recur.IO.SafetensorsTensors.WriteTensors(file, lstm.StateDict());
        Assert.Contains("does not say which module it holds", Assert.Throws<InvalidDataException>(() => ModelFile.Load(file)).Message);
    }

    [Fact]
    public void FilesAndFoldersAreNamedInErrors()
    {
        var lstm = new Lstm(2, 2);
        var missing = Assert.Throws<DirectoryNotFoundException>(() => StateDictFile.Save(lstm, Path.Combine(_dir, "no-such-folder", "m.safetensors")));
        Assert.Contains("folder '", missing.Message);
        Assert.Contains("no-such-folder' does not exist", missing.Message);
        Assert.DoesNotContain(".tmp", missing.Message);
        Assert.Contains("is a folder", Assert.ThrowsAny<Exception>(() => StateDictFile.Load(lstm, _dir)).Message);
    }

    [Fact]
    public void OptimizerStateRoundTripsThroughItsFile()
    {
        var rng = new RandomGenerator(2);
        var fc = new Linear(3, 2, rng: rng);
        var opt = new AdamW(fc.NamedParameters(), 1e-2) { Schedule = new LearningRateSchedule(1e-2, 2, 10) };
        for (int i = 0; i < 3; i++)
        {
            opt.ZeroGrad();
            Ops.Sum(fc.Forward(new Variable(rng.Normal(0, 1, 4, 3)))).Backward();
            opt.Step();
        }
        string file = Path.Combine(_dir, "opt.safetensors");
        OptimizerStateFile.Save(opt, file);
        var again = new AdamW(fc.NamedParameters(), 1e-2);
        OptimizerStateFile.Load(again, file);
        Assert.Equal(3, again.StepCount);
        Assert.Equal(opt.LearningRate, again.LearningRate);
        var a = opt.StateDict();
        var b = again.StateDict();
        foreach (var (k, t) in a.Tensors) Assert.Equal(t.ToArray(), b.Tensors[k].ToArray());
        Assert.Contains("holds the state of AdamW, not of Sgd", Assert.Throws<InvalidDataException>(() => OptimizerStateFile.Load(new Sgd(fc.NamedParameters(), 0.1), file)).Message);
    }

    [Theory]
    [InlineData("lstm", 1)]
    [InlineData("gru", 3)]
    [InlineData("rnn", 2)]
    public void AWholeModelStreamsOneTokenAtATimeAsTheFullForwardComputes(string cell, int batch)
    {
        var model = new CharLmModel(new CharLmConfig { Cell = cell, VocabSize = 11, EmbeddingSize = 6, HiddenSize = 8, Layers = 2 }, new RandomGenerator(5)).Eval();
        int steps = 6;
        var ids = Enumerable.Range(0, steps * batch).Select(i => (i * 7) % 11).ToArray(); // [T, B]
        Tensor full;
        using (GradMode.NoGrad()) full = model.Forward(ids, steps, batch).Logits.Value; // [T * B, V]
        var stream = model.CreateStream(batch);
        var logits = new float[batch * 11];
        for (int t = 0; t < steps; t++)
        {
            stream.Step(ids.AsSpan(t * batch, batch), logits);
            for (int i = 0; i < batch * 11; i++) Assert.Equal(full.Span[(t * batch * 11) + i], logits[i], 1e-5f);
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int t = 0; t < 50; t++) stream.Step(ids.AsSpan(0, batch), logits);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Throws<NotSupportedException>(() => new TokenStream(new Embedding(4, 2), new Lstm(2, 3, bidirectional: true), null));
    }
}
