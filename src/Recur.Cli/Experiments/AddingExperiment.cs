using System.Diagnostics;
using Recur.Autograd;
using Recur.Data;
using Recur.NN;
using Recur.Optim;

namespace Recur.Cli.Experiments;

/// <summary>Options of the adding-problem experiment.</summary>
public sealed record AddingOptions(string Cell, int Length, int HiddenSize, int BatchSize, double LearningRate, int MaxSteps,
    int EvalEvery, double TargetMse, ulong Seed, double ClipNorm = 1.0, int ValidationSize = 1000);

/// <summary>One validation report.</summary>
public readonly record struct AddingReport(int Step, double TrainMse, double ValidationMse, double Seconds);

/// <summary>What a run reached.</summary>
public sealed record AddingResult(string Cell, int Length, int? StepsToTarget, double FinalMse, double BestMse, int Steps, double Seconds);

// B batch, T time, H hidden.
/// <summary>
/// Trains a recurrent layer (one layer, hidden size H) plus a linear head on the adding problem: the head reads the
/// final hidden state and predicts the sum; the loss is the mean squared error. Stops when the validation MSE falls
/// under the target or after the step budget.
/// </summary>
public sealed class AddingExperiment
{
    private readonly AddingOptions _o;
    private readonly RecurrentLayer _rnn;
    private readonly Linear _head;
    private readonly Adam _optimizer;
    private readonly RandomGenerator _data;
    private readonly Tensor _validationInputs, _validationTargets;

    /// <summary>Builds the model, optimizer and a fixed validation set.</summary>
    public AddingExperiment(AddingOptions o)
    {
        _o = o;
        var init = new RandomGenerator(o.Seed);
        _rnn = o.Cell switch
        {
            "lstm" => new Lstm(2, o.HiddenSize, rng: init),
            "gru" => new Gru(2, o.HiddenSize, rng: init),
            "rnn" => new Rnn(2, o.HiddenSize, rng: init),
            _ => throw new UserErrorException($"--cell must be lstm, gru or rnn, got '{o.Cell}'."),
        };
        _head = new Linear(o.HiddenSize, 1, rng: init);
        var parameters = _rnn.NamedParameters().Select(p => new KeyValuePair<string, Parameter>("rnn." + p.Key, p.Value))
            .Concat(_head.NamedParameters().Select(p => new KeyValuePair<string, Parameter>("head." + p.Key, p.Value)));
        _optimizer = new Adam(parameters, learningRate: o.LearningRate);
        _data = new RandomGenerator(o.Seed + 1);
        (_validationInputs, _validationTargets) = AddingProblem.Batch(new RandomGenerator(o.Seed + 2), o.Length, o.ValidationSize);
    }

    /// <summary>Trains; calls <paramref name="report"/> at each evaluation.</summary>
    public AddingResult Run(Action<AddingReport>? report = null)
    {
        var clock = Stopwatch.StartNew();
        double running = double.NaN, best = double.PositiveInfinity, last = double.NaN;
        int? reached = null;
        int step = 0;
        while (step < _o.MaxSteps)
        {
            step++;
            var (x, y) = AddingProblem.Batch(_data, _o.Length, _o.BatchSize);
            _optimizer.ZeroGrad();
            var loss = MseLoss.Compute(Predict(x), y);
            loss.Backward(retainGraph: false);
            GradClip.ClipGradNorm(_optimizer.Parameters, _o.ClipNorm);
            _optimizer.Step();
            float l = loss.Value.ToScalar();
            running = double.IsNaN(running) ? l : 0.95 * running + 0.05 * l;
            if (step % _o.EvalEvery == 0 || step == _o.MaxSteps)
            {
                last = ValidationMse();
                best = Math.Min(best, last);
                report?.Invoke(new AddingReport(step, running, last, clock.Elapsed.TotalSeconds));
                if (last < _o.TargetMse)
                {
                    reached = step;
                    break;
                }
            }
        }
        return new AddingResult(_o.Cell, _o.Length, reached, last, best, step, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Mean squared error on the fixed validation set.</summary>
    public double ValidationMse()
    {
        using var _ = GradMode.NoGrad();
        return MseLoss.Compute(Predict(_validationInputs), _validationTargets).Value.ToScalar();
    }

    private Variable Predict(Tensor inputs)
    {
        int batch = inputs.Size(1);
        var (_, hN, _) = _rnn.Forward(inputs);                        // h_n [1, B, H]
        return _head.Forward(Ops.Reshape(hN, batch, _o.HiddenSize)); // [B, 1]
    }
}
