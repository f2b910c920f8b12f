namespace Recur.Training;

/// <summary>Why a run stopped.</summary>
public enum StopReason
{
    /// <summary>Reached the step limit.</summary>
    MaxSteps,

    /// <summary>Reached the epoch limit.</summary>
    MaxEpochs,

    /// <summary>Reached the time limit.</summary>
    MaxTime,

    /// <summary>The monitored metric stopped improving (patience ran out).</summary>
    EarlyStopping,

    /// <summary>The monitored metric reached <see cref="TrainerOptions.Target"/>.</summary>
    TargetReached,

    /// <summary>Cancelled (Ctrl+C, SIGTERM): the last checkpoint was saved.</summary>
    Interrupted,

    /// <summary>The loss exploded or became NaN: nothing was saved from the diverged state.</summary>
    Diverged,
}

/// <summary>How a run ended.</summary>
/// <param name="Reason">Why it stopped.</param>
/// <param name="Step">Optimizer steps taken in all.</param>
/// <param name="Epoch">Completed epochs.</param>
/// <param name="Last">The last evaluation's record, if any.</param>
/// <param name="Best">The best value of the monitored metric, if any evaluation ran.</param>
/// <param name="BestStep">The step of <paramref name="Best"/>.</param>
/// <param name="Message">For <see cref="StopReason.Diverged"/>: what exploded, where, and what was kept.</param>
/// <param name="Selection">Which checkpoint the run kept as its model (with <see cref="CheckpointSelection.Last"/>, <paramref name="Best"/> is the last evaluation's value).</param>
public sealed record TrainResult(StopReason Reason, long Step, long Epoch, Metrics? Last, double? Best, long BestStep, string? Message = null,
    CheckpointSelection Selection = CheckpointSelection.Best);
