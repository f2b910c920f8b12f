using System.Text.Json.Nodes;
using Recur.Autograd;
using Recur.NN;
using Recur.Optim;
using Recur.Training;

namespace Recur.Tests.Training;

/// <summary>The library's trainer on a small regression with dropout and shuffled batches (no CLI involved).</summary>
public sealed class TrainerTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("recur-trainer-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private sealed class Net : Module
    {
        public Net(RandomGenerator rng)
        {
            Hidden = RegisterModule("hidden", new Linear(3, 8, rng: rng));
            Drop = RegisterModule("drop", new Dropout(0.2, rng));
            Out = RegisterModule("out", new Linear(8, 1, rng: rng));
        }

        public Linear Hidden { get; }

        public Dropout Drop { get; }

        public Linear Out { get; }

        public Variable Forward(Tensor x) => Out.Forward(Drop.Forward(Ops.Tanh(Hidden.Forward(x))));
    }

    /// <summary>Fixed examples y = x0 - 2 x1 + x2 / 2, cut into batches of 4 in a seeded order that changes every epoch.</summary>
    private sealed class Batches : IBatchSource<(Tensor X, Tensor Y)>
    {
        private readonly Tensor _x = new RandomGenerator(99).Normal(0, 1, 24, 3);
        private readonly ulong _seed;
        private int[] _order = [];
        private int _position;

        public Batches(ulong seed)
        {
            _seed = seed;
            Shuffle();
        }

        public long Epoch { get; private set; }

        public int BatchesPerEpoch => 6;

        public (Tensor X, Tensor Y) Next()
        {
            var x = new Tensor(4, 3);
            var y = new Tensor(4, 1);
            for (int i = 0; i < 4; i++)
            {
                var row = _x[_order[(_position * 4) + i]].Span;
                row.CopyTo(x[i].Span);
                y.Span[i] = row[0] - (2 * row[1]) + (0.5f * row[2]);
            }
            if (++_position == BatchesPerEpoch)
            {
                _position = 0;
                Epoch++;
                Shuffle();
            }
            return (x, y);
        }

        public long CountItems((Tensor X, Tensor Y) batch) => 4;

        public void SaveState(CheckpointState state)
        {
            state.Json["epoch"] = Epoch;
            state.Json["position"] = _position;
        }

        public void LoadState(CheckpointState state)
        {
            Epoch = state.GetInt64("epoch");
            _position = (int)state.GetInt64("position");
            Shuffle();
        }

        // The order of an epoch is a function of the seed and the epoch alone.
        private void Shuffle()
        {
            _order = Enumerable.Range(0, 24).ToArray();
            new RandomGenerator(_seed + (ulong)Epoch).Shuffle(_order.AsSpan());
        }
    }

    private (Trainer Trainer, Net Net, Batches Data) Build(string? dir, TrainerOptions options, ulong seed = 5)
    {
        var rng = new RandomGenerator(seed);
        var net = new Net(rng);
        var opt = new AdamW(net.NamedParameters(), 1e-2);
        var trainer = new Trainer(net, opt, options with { RunFolder = dir, Task = "regression" });
        trainer.Track("dropout", rng);
        return (trainer, net, new Batches(seed));
    }

    private static Metrics Evaluate(Net net)
    {
        var data = new Batches(1);
        double sum = 0;
        for (int i = 0; i < 6; i++)
        {
            var (x, y) = data.Next();
            sum += MseLoss.Compute(net.Forward(x), y).Value.ToScalar();
        }
        return new Metrics { ["val_loss"] = sum / 6, ["val_score"] = -sum };
    }

    private TrainResult Fit(Trainer t, Net net, Batches data, CancellationToken cancel = default) =>
        t.Fit(data, b => MseLoss.Compute(net.Forward(b.X), b.Y), () => Evaluate(net), cancel);

    [Theory]
    [InlineData(null)]
    [InlineData(0.9)]
    public void AResumedRunComputesWhatTheUninterruptedRunComputesBitForBit(double? average)
    {
        var schedule = new LearningRateSchedule(1e-2, 5, 40);
        string full = Path.Combine(_root, $"full{average}"), split = Path.Combine(_root, $"split{average}");
        var options = new TrainerOptions { MaxSteps = 40, EvalEvery = 4, GradClip = 0.5, Schedule = schedule, AverageDecay = average };
        RunFolder.PrepareNew(full, "regression", "");
        var (a, netA, dataA) = Build(full, options);
        Fit(a, netA, dataA);

        RunFolder.PrepareNew(split, "regression", "");
        var (b, netB, dataB) = Build(split, options with { MaxSteps = 16 }); // an evaluation step: stopping elsewhere adds an evaluation there
        Assert.Equal(StopReason.MaxSteps, Fit(b, netB, dataB).Reason);
        var (c, netC, dataC) = Build(split, options, seed: 5);
        c.Resume(Checkpoint.Load(split, "regression", preferLast: true));
        Assert.Equal(16, c.Step);
        Fit(c, netC, dataC);

        Assert.Equal(MetricsLog.Read(Path.Combine(full, "metrics.jsonl")).Select(r => (r["step"], r["train_loss"], r["val_loss"], r["lr"])),
            MetricsLog.Read(Path.Combine(split, "metrics.jsonl")).Select(r => (r["step"], r["train_loss"], r["val_loss"], r["lr"])));
        foreach (var (name, p) in netA.NamedParameters())
            Assert.Equal(p.Value.ToArray(), netC.StateDict()[name].ToArray());
        foreach (var file in new[] { "model.safetensors", "optimizer.safetensors", "state.safetensors" })
            Assert.Equal(File.ReadAllBytes(Path.Combine(full, "last", file)), File.ReadAllBytes(Path.Combine(split, "last", file)));
    }

    [Fact]
    public void AveragedWeightsAreWhatIsEvaluatedAndSaved()
    {
        string dir = Path.Combine(_root, "average");
        RunFolder.PrepareNew(dir, "regression", "");
        var (t, net, data) = Build(dir, new TrainerOptions { MaxSteps = 12, EvalEvery = 6, AverageDecay = 0.5 });
        float[]? evaluated = null;
        t.Fit(data, b => MseLoss.Compute(net.Forward(b.X), b.Y), () =>
        {
            evaluated = net.Out.Bias!.Value.ToArray();
            return Evaluate(net);
        });
        var raw = net.Out.Bias!.Value.ToArray();
        Assert.NotEqual(raw, evaluated); // the evaluation saw other weights than the model's own
        var saved = Recur.IO.SafetensorsTensors.ReadTensors(Path.Combine(dir, "last", "model.safetensors"));
        Assert.Equal(evaluated, saved["out.bias"].ToArray());
    }

    [Theory]
    [InlineData(MonitorMode.Min, "val_loss")]
    [InlineData(MonitorMode.Max, "val_score")]
    public void EarlyStoppingWatchesTheMetricInItsDirection(MonitorMode mode, string metric)
    {
        string dir = Path.Combine(_root, $"early-{mode}");
        RunFolder.PrepareNew(dir, "regression", "");
        // A learning rate this high makes the validation loss jump about, so it soon stops improving.
        var (t, net, data) = Build(dir, new TrainerOptions { MaxSteps = 2000, EvalEvery = 1, Monitor = metric, Mode = mode, Patience = 3 });
        var r = Fit(t, net, data);
        Assert.Equal(StopReason.EarlyStopping, r.Reason);
        var history = t.History.Select(h => h[metric]).ToList();
        double best = mode == MonitorMode.Min ? history.Min() : history.Max();
        Assert.Equal(best, r.Best);
        Assert.Equal(r.BestStep, (long)t.History.First(h => h[metric] == best)["step"]);
        Assert.Equal(r.BestStep, Checkpoint.Load(dir, "regression").Step); // best/ is the best evaluation
        Assert.Equal(r.Step, r.BestStep + 3);                               // three evaluations without improvement
    }

    [Fact]
    public void SelectingTheLastCheckpointKeepsTheFinalWeightsAndNeverStopsEarly()
    {
        string dir = Path.Combine(_root, "select-last");
        RunFolder.PrepareNew(dir, "regression", "");
        // The same jumpy run that stops early when the best checkpoint is selected.
        var (t, net, data) = Build(dir, new TrainerOptions { MaxSteps = 300, EvalEvery = 1, Select = CheckpointSelection.Last });
        var r = Fit(t, net, data);
        Assert.Equal(StopReason.MaxSteps, r.Reason);
        Assert.Equal(300, r.BestStep);
        Assert.Equal(CheckpointSelection.Last, r.Selection);
        Assert.Equal(t.History[^1]["val_loss"], r.Best);
        Assert.NotEqual(t.History.Min(h => h["val_loss"]), r.Best); // a better evaluation came earlier, and was not kept
        Assert.Equal(300, Checkpoint.Load(dir, "regression").Step);
        var best = Recur.IO.SafetensorsTensors.ReadTensors(Path.Combine(dir, "best", "model.safetensors"));
        var last = Recur.IO.SafetensorsTensors.ReadTensors(Path.Combine(dir, "last", "model.safetensors"));
        Assert.Equal(last["out.bias"].ToArray(), best["out.bias"].ToArray());
        Assert.Throws<ArgumentException>(() => new TrainerOptions { MaxSteps = 6, Patience = 2, Select = CheckpointSelection.Last }.Validate());
        // Saved with the options: a resumed run keeps selecting the last.
        var saved = new TrainerOptions { MaxSteps = 6, Select = CheckpointSelection.Last }.ToJson();
        Assert.Equal(CheckpointSelection.Last, new TrainerOptions { MaxSteps = 6 }.WithSaved(saved, new HashSet<string>()).Select);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("val_loss")]
    public void ATieBreakDecidesBetweenEqualMonitoredValues(string? tieBreak)
    {
        string dir = Path.Combine(_root, $"tie-{tieBreak ?? "none"}");
        RunFolder.PrepareNew(dir, "regression", "");
        // A monitored metric that never changes (as accuracy on a tiny validation set, stuck at one value).
        var (t, net, _) = Build(dir, new TrainerOptions { MaxSteps = 60, EvalEvery = 6, Monitor = "val_flat", Mode = MonitorMode.Max, TieBreak = tieBreak });
        var r = t.Fit(new Batches(5), b => MseLoss.Compute(net.Forward(b.X), b.Y), () => new Metrics { ["val_flat"] = 1, ["val_loss"] = Evaluate(net)["val_loss"] });
        var losses = t.History.Select(h => h["val_loss"]).ToList();
        Assert.NotEqual(0, losses.IndexOf(losses.Min())); // the lowest loss is not the first, so the two settings differ
        long expected = tieBreak is null ? 6 : (long)t.History[losses.IndexOf(losses.Min())]["step"];
        Assert.Equal(expected, r.BestStep);
        Assert.Equal(expected, Checkpoint.Load(dir, "regression").Step);
        Assert.Throws<InvalidOperationException>(() => Build(null, new TrainerOptions { MaxSteps = 6, EvalEvery = 6, TieBreak = "val_nothing" }).Trainer
            .Fit(new Batches(5), b => MseLoss.Compute(net.Forward(b.X), b.Y), () => Evaluate(net)));
    }

    [Fact]
    public void CancellingSavesACheckpointToResumeFrom()
    {
        string dir = Path.Combine(_root, "cancel");
        RunFolder.PrepareNew(dir, "regression", "");
        var (t, net, data) = Build(dir, new TrainerOptions { MaxSteps = 100, EvalEvery = 50 });
        using var cts = new CancellationTokenSource();
        t.Observer = new CancelAt(7, cts);
        var r = Fit(t, net, data, cts.Token);
        Assert.Equal(StopReason.Interrupted, r.Reason);
        Assert.Equal(7, r.Step);
        Assert.Equal(7, Checkpoint.Load(dir, "regression", preferLast: true).Step);
    }

    private sealed class CancelAt(long step, CancellationTokenSource cts) : ITrainingObserver
    {
        public void OnStep(in TrainingProgress progress)
        {
            if (progress.Step == step) cts.Cancel();
        }
    }

    [Fact]
    public void EvaluatesEveryEpochWhenAskedAndStopsAtTheEpochLimitOrTheTarget()
    {
        var (t, net, data) = Build(null, new TrainerOptions { MaxEpochs = 3, EvalEvery = 0 });
        var r = Fit(t, net, data);
        Assert.Equal(StopReason.MaxEpochs, r.Reason);
        Assert.Equal([6.0, 12, 18], t.History.Select(h => h["step"]));
        Assert.Equal([1.0, 2, 3], t.History.Select(h => h["epoch"]));

        var (t2, net2, data2) = Build(null, new TrainerOptions { MaxSteps = 5000, EvalEvery = 2, Target = 0.5 });
        var r2 = Fit(t2, net2, data2);
        Assert.Equal(StopReason.TargetReached, r2.Reason);
        Assert.True(r2.Best <= 0.5);
    }

    [Fact]
    public void AnExplodingLossStopsTheRunAndKeepsTheLastGoodCheckpoint()
    {
        string dir = Path.Combine(_root, "explode");
        RunFolder.PrepareNew(dir, "regression", "");
        var (t, net, data) = Build(dir, new TrainerOptions { MaxSteps = 100, EvalEvery = 10 });
        // A loss that is finite but explodes after step 25 (as a run whose weights blow up does).
        var r = t.Fit(data, b =>
        {
            var loss = MseLoss.Compute(net.Forward(b.X), b.Y);
            return t.Step >= 25 ? Ops.Scale(loss, 1e14f) : loss;
        }, () => Evaluate(net));
        Assert.Equal(StopReason.Diverged, r.Reason);
        Assert.Equal(25, r.Step);
        Assert.Contains("training diverged: the training loss of step 26", r.Message);
        Assert.Contains("the last good checkpoint (step 20) is kept", r.Message);
        Assert.Equal(20, Checkpoint.Load(dir, "regression", preferLast: true).Step);
        Assert.Equal([10.0, 20], MetricsLog.Read(Path.Combine(dir, "metrics.jsonl")).Select(m => m["step"]));

        // NaN stops it too, and so does a validation loss far above its best.
        var (t2, net2, data2) = Build(null, new TrainerOptions { MaxSteps = 100, EvalEvery = 10 });
        var nan = t2.Fit(data2, b => t2.Step == 3 ? Ops.Scale(MseLoss.Compute(net2.Forward(b.X), b.Y), float.NaN) : MseLoss.Compute(net2.Forward(b.X), b.Y));
        Assert.Equal(StopReason.Diverged, nan.Reason);
        var (t3, net3, data3) = Build(null, new TrainerOptions { MaxSteps = 100, EvalEvery = 10 });
        var val = t3.Fit(data3, b => MseLoss.Compute(net3.Forward(b.X), b.Y), () => new Metrics { ["val_loss"] = t3.Step >= 30 ? 5.8e14 : 1.0 });
        Assert.Equal(StopReason.Diverged, val.Reason);
        Assert.Contains("val_loss at step 30 is 5.8E+14", val.Message);
    }

    [Fact]
    public void CheckpointsOfAnotherTaskOrVersionAndMissingMetricsAreRefused()
    {
        string dir = Path.Combine(_root, "versions");
        RunFolder.PrepareNew(dir, "regression", "");
        var (t, net, data) = Build(dir, new TrainerOptions { MaxSteps = 4, EvalEvery = 4 });
        Fit(t, net, data);
        Assert.Contains("is a checkpoint of task 'regression', not of 'charlm'", Assert.Throws<InvalidDataException>(() => Checkpoint.Load(dir, "charlm")).Message);
        string manifest = Path.Combine(dir, "last", CheckpointFolder.ManifestName);
        var m = JsonNode.Parse(File.ReadAllText(manifest))!.AsObject();
        m["version"] = 2;
        File.WriteAllText(manifest, m.ToJsonString());
        Assert.Contains("has format version 2; this Recur reads version 1", Assert.Throws<InvalidDataException>(() => Checkpoint.Load(dir, "regression", preferLast: true)).Message);

        var (t2, net2, data2) = Build(null, new TrainerOptions { MaxSteps = 4, EvalEvery = 2, Monitor = "val_accuracy" });
        var ex = Assert.Throws<InvalidOperationException>(() => Fit(t2, net2, data2));
        Assert.Contains("no 'val_accuracy' to monitor; it gave: step, epoch, train_loss, val_loss, val_score", ex.Message);
    }

    [Fact]
    public void TheScheduleSetsTheOptimizersRateAtEveryStep()
    {
        var schedule = new LearningRateSchedule(0.1, 4, 10);
        var (t, net, data) = Build(null, new TrainerOptions { MaxSteps = 10, EvalEvery = 1, Schedule = schedule });
        Fit(t, net, data);
        Assert.Equal(Enumerable.Range(1, 10).Select(s => schedule.At(s)), t.History.Select(h => h["lr"]));
    }
}
