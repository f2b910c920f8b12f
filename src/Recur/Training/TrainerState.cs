using System.Text.Json.Nodes;

namespace Recur.Training;

/// <summary>
/// Where a run stands between steps, saved in <c>trainer.json</c>: with the model, the optimizer, the generators and
/// the tracked components it is everything a resumed run needs to continue as if it had never stopped.
/// </summary>
internal sealed class TrainerState
{
    public long Step;
    public long LastEvalStep = -1;
    public double? Best;
    public double? BestTieBreak;             // the tie-break metric at the best evaluation
    public long BestStep;
    public int EvalsSinceBest;
    public double TrainLossSum;
    public int TrainLossCount;
    public double ElapsedSeconds;
    public double FirstLoss = double.NaN;      // the first step's loss, for divergence
    public double LossMean = double.NaN;       // running mean of the step losses, for divergence
    public double LowestLossMean = double.PositiveInfinity;
    public long ItemsSinceEval;
    public double SecondsSinceEval;

    public JsonObject ToJson() => new()
    {
        ["step"] = Step,
        ["last_eval_step"] = LastEvalStep,
        ["best"] = Best,
        ["best_tie_break"] = BestTieBreak,
        ["best_step"] = BestStep,
        ["evals_since_best"] = EvalsSinceBest,
        ["train_loss_sum"] = TrainLossSum,
        ["train_loss_count"] = TrainLossCount,
        ["elapsed_s"] = ElapsedSeconds,
        ["first_loss"] = double.IsFinite(FirstLoss) ? FirstLoss : null,
        ["loss_mean"] = double.IsFinite(LossMean) ? LossMean : null,
        ["lowest_loss_mean"] = double.IsFinite(LowestLossMean) ? LowestLossMean : null,
    };

    public static TrainerState FromJson(JsonObject o)
    {
        try
        {
            return new TrainerState
            {
                Step = Get<long>(o, "step"),
                LastEvalStep = Get<long>(o, "last_eval_step"),
                Best = o["best"]?.GetValue<double>(),
                BestTieBreak = o["best_tie_break"]?.GetValue<double>(),
                BestStep = Get<long>(o, "best_step"),
                EvalsSinceBest = Get<int>(o, "evals_since_best"),
                TrainLossSum = Get<double>(o, "train_loss_sum"),
                TrainLossCount = Get<int>(o, "train_loss_count"),
                ElapsedSeconds = Get<double>(o, "elapsed_s"),
                FirstLoss = o["first_loss"]?.GetValue<double>() ?? double.NaN,
                LossMean = o["loss_mean"]?.GetValue<double>() ?? double.NaN,
                LowestLossMean = o["lowest_loss_mean"]?.GetValue<double>() ?? double.PositiveInfinity,
            };
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException)
        {
            throw new InvalidDataException($"the trainer state is damaged: {ex.Message}", ex);
        }
    }

    private static T Get<T>(JsonObject o, string name) => (o[name] ?? throw new InvalidDataException($"the trainer state has no \"{name}\".")).GetValue<T>();
}
