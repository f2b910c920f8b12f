using System.CommandLine;
using System.Globalization;

namespace Recur.Cli.Experiments;

/// <summary><c>recur experiment ...</c>: reproducible experiments from the literature.</summary>
public static class ExperimentCommand
{
    /// <summary>Builds the command group.</summary>
    public static Command Create()
    {
        var cmd = new Command("experiment", "Run a reproducible experiment.");
        cmd.Subcommands.Add(CreateAdding());
        return cmd;
    }

    private static Command CreateAdding()
    {
        var cell = new Option<string>("--cell") { Description = "Recurrent cell: lstm, gru or rnn.", DefaultValueFactory = _ => "lstm" };
        var length = new Option<int>("--length") { Description = "Sequence length T.", DefaultValueFactory = _ => 100 };
        var hidden = new Option<int>("--hidden-size") { Description = "Hidden size H.", DefaultValueFactory = _ => 64 };
        var batch = new Option<int>("--batch-size") { Description = "Sequences per step.", DefaultValueFactory = _ => 64 };
        var lr = new Option<double>("--lr") { Description = "Adam learning rate.", DefaultValueFactory = _ => 3e-3 };
        var steps = new Option<int>("--max-steps") { Description = "Step budget.", DefaultValueFactory = _ => 10000 };
        var evalEvery = new Option<int>("--eval-every") { Description = "Steps between validation reports.", DefaultValueFactory = _ => 100 };
        var target = new Option<double>("--target-mse") { Description = "Stop once the validation MSE is below this.", DefaultValueFactory = _ => 0.01 };
        var seed = new Option<ulong>("--seed") { Description = "Random seed.", DefaultValueFactory = _ => 1UL };
        var cmd = new Command("adding", "The adding problem (Hochreiter & Schmidhuber 1997): report the steps an RNN, LSTM or GRU needs to reach a validation MSE under 0.01 (always predicting 1 gives ~0.167).")
        {
            cell, length, hidden, batch, lr, steps, evalEvery, target, seed,
        };
        cmd.SetAction(parse => CliErrors.Run(parse, () =>
        {
            var o = new AddingOptions(parse.GetValue(cell)!.ToLowerInvariant(), parse.GetValue(length), parse.GetValue(hidden),
                parse.GetValue(batch), parse.GetValue(lr), parse.GetValue(steps), parse.GetValue(evalEvery), parse.GetValue(target), parse.GetValue(seed));
            Validate(o);
            return RunAdding(o, Console.Out);
        }));
        return cmd;
    }

    /// <summary>Runs the adding experiment and prints progress and the result.</summary>
    public static int RunAdding(AddingOptions o, TextWriter output)
    {
        output.WriteLine(FormattableString.Invariant(
            $"Adding problem: {o.Cell.ToUpperInvariant()} H={o.HiddenSize}, T={o.Length}, batch {o.BatchSize}, Adam lr {o.LearningRate}, target validation MSE < {o.TargetMse} (baseline {Data.AddingProblem.BaselineMse:F3})."));
        var result = new AddingExperiment(o).Run(r => output.WriteLine(FormattableString.Invariant(
            $"step {r.Step,6}  train MSE {r.TrainMse:F4}  validation MSE {r.ValidationMse:F4}  {r.Seconds:F1}s")));
        // The train MSE is the mean over the steps since the previous report.
        output.WriteLine(result.StepsToTarget is int s
            ? FormattableString.Invariant($"Reached MSE < {o.TargetMse} after {s} steps ({result.Seconds:F1}s).")
            : FormattableString.Invariant($"Did not reach MSE < {o.TargetMse} in {result.Steps} steps: final {result.FinalMse:F4}, best {result.BestMse:F4} ({result.Seconds:F1}s)."));
        return 0;
    }

    private static void Validate(AddingOptions o)
    {
        if (o.Cell is not ("lstm" or "gru" or "rnn")) throw new UserErrorException($"--cell must be lstm, gru or rnn, got '{o.Cell}'.");
        if (o.Length < 2) throw new UserErrorException($"--length must be at least 2, got {o.Length}.");
        if (o.HiddenSize <= 0) throw new UserErrorException($"--hidden-size must be positive, got {o.HiddenSize}.");
        if (o.BatchSize <= 0) throw new UserErrorException($"--batch-size must be positive, got {o.BatchSize}.");
        if (!(o.LearningRate > 0) || double.IsInfinity(o.LearningRate)) throw new UserErrorException($"--lr must be a positive number, got {o.LearningRate.ToString(CultureInfo.InvariantCulture)}.");
        if (o.MaxSteps <= 0) throw new UserErrorException($"--max-steps must be positive, got {o.MaxSteps}.");
        if (o.EvalEvery <= 0) throw new UserErrorException($"--eval-every must be positive, got {o.EvalEvery}.");
        if (!(o.TargetMse > 0)) throw new UserErrorException($"--target-mse must be positive, got {o.TargetMse.ToString(CultureInfo.InvariantCulture)}.");
    }
}
