// B batch, T time, H hidden.
using System.Diagnostics;
using Recur.Autograd;
using Recur.Data;
using Recur.NN;
using Recur.Optim;
using Recur.Training;

namespace Recur.Cli.Experiments;

/// <summary>Options of the adding-problem experiment.</summary>
public sealed record AddingOptions(string Cell, int Length, int HiddenSize, int BatchSize, double LearningRate, int MaxSteps,
    int EvalEvery, double TargetMse, ulong Seed, double ClipNorm = 1.0, int ValidationSize = 1000);

/// <summary>One validation report.</summary>
public readonly record struct AddingReport(int Step, double TrainMse, double ValidationMse, double Seconds);

/// <summary>What a run reached.</summary>
public sealed record AddingResult(string Cell, int Length, int? StepsToTarget, double FinalMse, double BestMse, int Steps, double Seconds);

/// <summary>
/// Trains a recurrent layer (one layer, hidden size H) plus a linear head on the adding problem with the library's
/// <see cref="Trainer"/>: the head reads the final hidden state and predicts the sum; the loss is the mean squared
/// error. Stops when the validation MSE falls under the target (the trainer's target) or after the step budget.
/// </summary>
public sealed class AddingExperiment
{
    private readonly AddingOptions _o;
    private readonly AddingModel _model;
    private readonly Adam _optimizer;
    private readonly RandomGenerator _data;
    private readonly Tensor _validationInputs, _validationTargets;

    /// <summary>Builds the model, optimizer and a fixed validation set.</summary>
    public AddingExperiment(AddingOptions o)
    {
        ArgumentNullException.ThrowIfNull(o);
        _o = o;
        var init = new RandomGenerator(o.Seed);
        var rnn = o.Cell switch
        {
            "lstm" => (RecurrentLayer)new Lstm(2, o.HiddenSize, rng: init),
            "gru" => new Gru(2, o.HiddenSize, rng: init),
            "rnn" => new Rnn(2, o.HiddenSize, rng: init),
            _ => throw new UserErrorException($"--cell must be lstm, gru or rnn, got '{o.Cell}'."),
        };
        _model = new AddingModel(rnn, new Linear(o.HiddenSize, 1, rng: init));
        _optimizer = new Adam(_model.NamedParameters(), learningRate: o.LearningRate);
        _data = new RandomGenerator(o.Seed + 1);
        (_validationInputs, _validationTargets) = AddingProblem.Batch(new RandomGenerator(o.Seed + 2), o.Length, o.ValidationSize);
    }

    /// <summary>Trains; calls <paramref name="report"/> at each evaluation.</summary>
    public AddingResult Run(Action<AddingReport>? report = null)
    {
        var clock = Stopwatch.StartNew();
        var trainer = new Trainer(_model, _optimizer, new TrainerOptions
        {
            Task = "adding",
            MaxSteps = _o.MaxSteps,
            EvalEvery = _o.EvalEvery,
            GradClip = _o.ClipNorm,
            Monitor = "val_mse",
            Target = _o.TargetMse * (1 - 1e-12), // "under the target"
            ItemName = "sequences",
        });
        double best = double.PositiveInfinity, last = double.NaN;
        trainer.Observer = new Reporter(r =>
        {
            last = r["val_mse"];
            best = Math.Min(best, last);
            report?.Invoke(new AddingReport((int)r["step"], r["train_loss"], last, clock.Elapsed.TotalSeconds));
        });
        var source = new AddingSource(_data, _o.Length, _o.BatchSize);
        var result = trainer.Fit(source, b => MseLoss.Compute(_model.Predict(b.Inputs), b.Targets),
            () => new Metrics { ["val_mse"] = MseLoss.Compute(_model.Predict(_validationInputs), _validationTargets).Value.ToScalar() });
        int? reached = result.Reason == StopReason.TargetReached ? (int)result.Step : null;
        return new AddingResult(_o.Cell, _o.Length, reached, last, best, (int)result.Step, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Mean squared error on the fixed validation set.</summary>
    public double ValidationMse()
    {
        using var _ = GradMode.NoGrad();
        return MseLoss.Compute(_model.Predict(_validationInputs), _validationTargets).Value.ToScalar();
    }

    /// <summary>The recurrent layer (<c>rnn</c>) and the head (<c>head</c>) reading its final state.</summary>
    private sealed class AddingModel : Module
    {
        public AddingModel(RecurrentLayer rnn, Linear head)
        {
            Rnn = RegisterModule("rnn", rnn);
            Head = RegisterModule("head", head);
        }

        public RecurrentLayer Rnn { get; }

        public Linear Head { get; }

        public Variable Predict(Tensor inputs)
        {
            int batch = inputs.Size(1);
            var (_, hN, _) = Rnn.Forward(inputs);                           // h_n [1, B, H]
            return Head.Forward(Ops.Reshape(hN, batch, Rnn.HiddenSize)); // [B, 1]
        }
    }

    /// <summary>Fresh random batches without end (one "epoch" is never completed); its generator is all its state.</summary>
    private sealed class AddingSource(RandomGenerator rng, int length, int batch) : IBatchSource<(Tensor Inputs, Tensor Targets)>
    {
        public long Epoch => 0;

        public int BatchesPerEpoch => 0;

        public (Tensor Inputs, Tensor Targets) Next() => AddingProblem.Batch(rng, length, batch);

        public long CountItems((Tensor Inputs, Tensor Targets) b) => batch;

        public void SaveState(CheckpointState state)
        {
        }

        public void LoadState(CheckpointState state)
        {
        }
    }

    private sealed class Reporter(Action<Metrics> onEvaluation) : ITrainingObserver
    {
        public void OnEvaluation(Metrics record, bool improved) => onEvaluation(record);
    }
}
