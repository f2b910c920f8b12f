using System.Globalization;
using System.Text.Json.Nodes;
using Recur.Optim;

namespace Recur.Training;

/// <summary>Whether a smaller (<see cref="Min"/>: a loss) or a larger (<see cref="Max"/>: an accuracy) monitored metric is better.</summary>
public enum MonitorMode
{
    /// <summary>Smaller is better.</summary>
    Min,

    /// <summary>Larger is better.</summary>
    Max,
}

/// <summary>Which evaluation a run keeps as its model in <c>best/</c> (see <see cref="TrainerOptions.Select"/>).</summary>
public enum CheckpointSelection
{
    /// <summary>The evaluation with the best monitored metric.</summary>
    Best,

    /// <summary>The latest evaluation: the weights at the end of the budget.</summary>
    Last,
}

/// <summary>
/// How a <see cref="Trainer"/> runs: its limits (whichever comes first), when it evaluates, what it watches for early
/// stopping and the best checkpoint, the schedule and clipping of every step, and where it writes.
/// </summary>
public sealed record TrainerOptions
{
    /// <summary>Stop after this many optimizer steps in all, across resumes (null: no step limit).</summary>
    public long? MaxSteps { get; init; }

    /// <summary>Stop after this many epochs in all (null: no epoch limit).</summary>
    public long? MaxEpochs { get; init; }

    /// <summary>Stop after this much training time in this call of <see cref="Trainer.Fit{TBatch}"/> (null: no time limit).</summary>
    public TimeSpan? MaxTime { get; init; }

    /// <summary>Evaluate (and checkpoint) every this many steps; 0 evaluates at the end of every epoch.</summary>
    public int EvalEvery { get; init; }

    /// <summary>The learning-rate schedule the optimizer follows (null: the optimizer's rate as it is).</summary>
    public ILearningRateSchedule? Schedule { get; init; }

    /// <summary>Largest global gradient norm before each update; 0 turns clipping off.</summary>
    public double GradClip { get; init; }

    /// <summary>The evaluation metric that picks the best checkpoint and drives early stopping (the default, <c>val_loss</c>, becomes <c>train_loss</c> for a run without an evaluation).</summary>
    public string Monitor { get; init; } = "val_loss";

    /// <summary>Whether a smaller or a larger <see cref="Monitor"/> is better.</summary>
    public MonitorMode Mode { get; init; } = MonitorMode.Min;

    /// <summary>
    /// A second metric that decides between evaluations whose <see cref="Monitor"/> is equal (validation loss, when
    /// accuracy on a small validation set ties often): an equal monitor with a better tie-break is a better checkpoint.
    /// Null: the first evaluation to reach a value keeps it.
    /// </summary>
    public string? TieBreak { get; init; }

    /// <summary>Whether a smaller or a larger <see cref="TieBreak"/> is better.</summary>
    public MonitorMode TieBreakMode { get; init; } = MonitorMode.Min;

    /// <summary>Stop after this many evaluations without a better <see cref="Monitor"/>; 0 never stops early.</summary>
    public int Patience { get; init; }

    /// <summary>
    /// Which checkpoint <c>best/</c> holds: <see cref="CheckpointSelection.Best"/> (the default) the evaluation with
    /// the best <see cref="Monitor"/>; <see cref="CheckpointSelection.Last"/> the latest evaluation, so that a run's
    /// model is its final weights after the whole budget (early stopping is off then, as there is nothing to wait for).
    /// Selecting on a validation set of a few dozen examples picks noise; a fixed budget does not.
    /// </summary>
    public CheckpointSelection Select { get; init; } = CheckpointSelection.Best;

    /// <summary>
    /// Evaluate and checkpoint an exponential moving average of the weights with this decay (e.g. 0.999; see
    /// <see cref="WeightAverage"/>); null evaluates the weights as they are.
    /// </summary>
    public double? AverageDecay { get; init; }

    /// <summary>Stop once the monitored metric reaches this value (at or below it for <see cref="MonitorMode.Min"/>); null never.</summary>
    public double? Target { get; init; }

    /// <summary>
    /// The run folder for <c>best/</c> and <c>last/</c> checkpoints and <c>metrics.jsonl</c> (prepared with
    /// <see cref="RunFolder"/>); null trains without writing anything.
    /// </summary>
    public string? RunFolder { get; init; }

    /// <summary>The task named in every checkpoint, so that a checkpoint of another task is refused on load.</summary>
    public string Task { get; init; } = "custom";

    /// <summary>What <see cref="IBatchSource{TBatch}.CountItems"/> counts, naming the throughput metric (<c>chars</c> gives <c>chars_per_s</c>).</summary>
    public string ItemName { get; init; } = "items";

    /// <summary>
    /// The training loss of predicting every class alike (ln V for V classes), when there is one: a step loss above
    /// <see cref="UniformLossFactor"/> times it is a divergence.
    /// </summary>
    public double? UniformLoss { get; init; }

    /// <summary>See <see cref="UniformLoss"/>.</summary>
    public double UniformLossFactor { get; init; } = 4;

    /// <summary>
    /// A step loss (or a validation metric named <c>*loss</c>) more than this many times its lowest running mean (its
    /// best value) is a divergence: the run stops and keeps its last good checkpoint.
    /// </summary>
    public double DivergenceFactor { get; init; } = 100;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first value out of range.</summary>
    public void Validate()
    {
        if (MaxSteps is long s && s <= 0) throw new ArgumentException($"the step limit must be positive, got {s}.");
        if (MaxEpochs is long e && e <= 0) throw new ArgumentException($"the epoch limit must be positive, got {e}.");
        if (MaxTime is TimeSpan t && t <= TimeSpan.Zero) throw new ArgumentException("the time limit must be positive.");
        if (MaxSteps is null && MaxEpochs is null && MaxTime is null) throw new ArgumentException("give at least one limit: steps, epochs or time.");
        if (EvalEvery < 0) throw new ArgumentException($"the evaluation interval must not be negative (0: every epoch), got {EvalEvery}.");
        if (!(GradClip >= 0) || !double.IsFinite(GradClip)) throw new ArgumentException($"the gradient clipping norm must not be negative, got {Num(GradClip)}.");
        if (Patience < 0) throw new ArgumentException($"the patience must not be negative (0: never stop early), got {Patience}.");
        if (Select == CheckpointSelection.Last && Patience > 0) throw new ArgumentException("early stopping (a patience above 0) needs the best checkpoint selected, not the last.");
        if (string.IsNullOrWhiteSpace(Monitor)) throw new ArgumentException("the monitored metric needs a name.");
        if (TieBreak is not null && string.IsNullOrWhiteSpace(TieBreak)) throw new ArgumentException("the tie-break metric needs a name (or none).");
        if (string.IsNullOrWhiteSpace(Task)) throw new ArgumentException("the task needs a name.");
        if (AverageDecay is double d && !(d > 0 && d < 1)) throw new ArgumentException($"the averaging decay must be in (0, 1), got {Num(d)}.");
        if (!(DivergenceFactor > 1)) throw new ArgumentException($"the divergence factor must be above 1, got {Num(DivergenceFactor)}.");
    }

    /// <summary>The options a resumed run must keep (evaluation interval, monitor, patience, clipping, limits), as JSON for <c>trainer.json</c>.</summary>
    public JsonObject ToJson() => new()
    {
        ["max_steps"] = MaxSteps,
        ["max_epochs"] = MaxEpochs,
        ["eval_every"] = EvalEvery,
        ["grad_clip"] = GradClip,
        ["monitor"] = Monitor,
        ["mode"] = Mode == MonitorMode.Max ? "max" : "min",
        ["patience"] = Patience,
        ["select"] = Select == CheckpointSelection.Last ? "last" : "best",
        ["tie_break"] = TieBreak,
        ["tie_break_mode"] = TieBreakMode == MonitorMode.Max ? "max" : "min",
        ["average_decay"] = AverageDecay,
    };

    /// <summary>These options with the values saved by <see cref="ToJson"/> (a resumed run's), for those <paramref name="keep"/> does not name as given.</summary>
    public TrainerOptions WithSaved(JsonObject saved, ISet<string> keep)
    {
        ArgumentNullException.ThrowIfNull(saved);
        ArgumentNullException.ThrowIfNull(keep);
        try
        {
            return this with
            {
                MaxSteps = keep.Contains("max_steps") ? MaxSteps : saved["max_steps"]?.GetValue<long>() ?? MaxSteps,
                MaxEpochs = keep.Contains("max_epochs") ? MaxEpochs : saved["max_epochs"]?.GetValue<long>() ?? MaxEpochs,
                EvalEvery = keep.Contains("eval_every") ? EvalEvery : saved["eval_every"]?.GetValue<int>() ?? EvalEvery,
                GradClip = keep.Contains("grad_clip") ? GradClip : saved["grad_clip"]?.GetValue<double>() ?? GradClip,
                Monitor = keep.Contains("monitor") ? Monitor : saved["monitor"]?.GetValue<string>() ?? Monitor,
                Mode = keep.Contains("mode") ? Mode : saved["mode"]?.GetValue<string>() == "max" ? MonitorMode.Max : MonitorMode.Min,
                Patience = keep.Contains("patience") ? Patience : saved["patience"]?.GetValue<int>() ?? Patience,
                Select = keep.Contains("select") || !saved.ContainsKey("select") ? Select
                    : saved["select"]?.GetValue<string>() == "last" ? CheckpointSelection.Last : CheckpointSelection.Best,
                TieBreak = keep.Contains("tie_break") || !saved.ContainsKey("tie_break") ? TieBreak : saved["tie_break"]?.GetValue<string>(),
                TieBreakMode = keep.Contains("tie_break") || !saved.ContainsKey("tie_break_mode") ? TieBreakMode
                    : saved["tie_break_mode"]?.GetValue<string>() == "max" ? MonitorMode.Max : MonitorMode.Min,
                AverageDecay = saved["average_decay"]?.GetValue<double>(),
            };
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException)
        {
            throw new InvalidDataException($"the saved trainer options are damaged: {ex.Message}", ex);
        }
    }

    private static string Num(double v) => v.ToString(CultureInfo.InvariantCulture);
}
