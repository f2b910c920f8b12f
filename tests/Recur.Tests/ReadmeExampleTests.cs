using Recur.Autograd;
using Recur.NN;
using Recur.Optim;
using Recur.Training;

namespace Recur.Tests;

/// <summary>The README's code examples, kept compiling and working.</summary>
public class ReadmeExampleTests
{
    [Fact]
    public void LinearClassifierExampleLearns()
    {
        var rng = new RandomGenerator(seed: 1);
        var fc = new Linear(4, 3, rng: rng);
        var opt = new AdamW(fc.NamedParameters(), learningRate: 1e-2);
        var x = new Variable(rng.Normal(0, 1, 8, 4));
        int[] y = [0, 1, 2, 0, 1, 2, 0, 1];
        float first = 0, last = 0;
        for (int step = 0; step < 100; step++)
        {
            opt.ZeroGrad();
            var loss = CrossEntropyLoss.Compute(fc.Forward(x), y);
            loss.Backward();
            opt.Step();
            if (step == 0) first = loss.Value.ToScalar();
            last = loss.Value.ToScalar();
        }
        Assert.True(last < first * 0.8f, $"loss {first} -> {last}");
    }

    [Fact]
    public void LstmExampleShapesAndFile()
    {
        var rng = new RandomGenerator(seed: 1);
        var lstm = new Lstm(inputSize: 8, hiddenSize: 16, numLayers: 2, bidirectional: true, rng: rng);
        var input = new Variable(rng.Normal(0, 1, 20, 4, 8));
        var (output, hN, cN) = lstm.Forward(input, lengths: [20, 17, 9, 3]);
        Assert.True(output.Value.HasShape(20, 4, 32));
        Assert.True(hN.Value.HasShape(4, 4, 16));
        Assert.True(cN!.Value.HasShape(4, 4, 16));
        Assert.All(output.Value[5][3].ToArray(), v => Assert.Equal(0f, v)); // step 5 is past length 3
        string dir = Directory.CreateTempSubdirectory("recur-readme-").FullName;
        try
        {
            string path = Path.Combine(dir, "lstm.safetensors");
            StateDictFile.Save(lstm, path);
            Assert.Contains("bias_hh_l1_reverse", Recur.IO.SafetensorsFile.Read(path).Tensors.Keys);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    // The README's trainer example: a GRU tells whether the mean of 12 noisy steps is above zero.
    private sealed class MeanSign : Module
    {
        public MeanSign(RandomGenerator rng)
        {
            Rnn = RegisterModule("rnn", new Gru(1, 16, rng: rng));
            Fc = RegisterModule("fc", new Linear(16, 2, rng: rng));
        }

        public Gru Rnn { get; }

        public Linear Fc { get; }

        public Variable Forward(IReadOnlyList<Tensor> xs) => Fc.Forward(Ops.Reshape(Rnn.Forward(Stack(xs)).HN, xs.Count, 16));

        public static Tensor Stack(IReadOnlyList<Tensor> xs) // B tensors [T, 1] -> [T, B, 1]
        {
            var x = new Tensor(12, xs.Count, 1);
            for (int b = 0; b < xs.Count; b++)
                for (int t = 0; t < 12; t++) x.Span[(t * xs.Count) + b] = xs[b].Span[t];
            return x;
        }

        public static int[] Labels(IReadOnlyList<Tensor> xs) => xs.Select(x => x.Span.ToArray().Average() > 0 ? 1 : 0).ToArray();
    }

    private static double Accuracy(MeanSign model, IReadOnlyList<Tensor> dev)
    {
        var logits = model.Forward(dev).Value; // [B, 2]
        var predicted = ClassificationReport.ArgMax(Enumerable.Range(0, dev.Count).Select(i => logits[i].ToArray()).ToList());
        return ClassificationReport.Compute(MeanSign.Labels(dev), predicted, 2).Accuracy;
    }

    [Fact]
    public void TrainerExampleLearnsAndCheckpoints()
    {
        string runs = Directory.CreateTempSubdirectory("recur-readme-").FullName;
        try
        {
            var rng = new RandomGenerator(seed: 1);
            var data = Enumerable.Range(0, 512).Select(_ => rng.Normal(0, 1, 12, 1)).ToList();
            var model = new MeanSign(rng);
            var trainer = new Trainer(model, new AdamW(model.NamedParameters(), 3e-3), new TrainerOptions
            {
                MaxEpochs = 30, EvalEvery = 0, Monitor = "val_accuracy", Mode = MonitorMode.Max, Patience = 5,
                Schedule = new LearningRateSchedule(3e-3, WarmupSteps: 20, TotalSteps: 420), GradClip = 1, RunFolder = Path.Combine(runs, "mean-sign"),
            });
            trainer.Track("dropout", rng);
            var result = trainer.Fit(new ShuffledBatches<Tensor>(data[..448], batchSize: 32, seed: 1),
                batch => CrossEntropyLoss.Compute(model.Forward(batch), MeanSign.Labels(batch)),
                () => new Metrics { ["val_accuracy"] = Accuracy(model, data[448..]) });
            Assert.True(result.Best >= 0.9, $"best accuracy {result.Best}");
            Assert.NotNull(Checkpoint.Find(Path.Combine(runs, "mean-sign")));
        }
        finally
        {
            Directory.Delete(runs, true);
        }
    }
}
