namespace Recur.Training;

/// <summary>Where a run stands after a step, for a progress display.</summary>
/// <param name="Step">Steps taken in all.</param>
/// <param name="MaxSteps">The step limit, if any.</param>
/// <param name="Epoch">Completed epochs plus the fraction of the current one.</param>
/// <param name="TrainLoss">Mean training loss since the last evaluation.</param>
/// <param name="Monitored">The monitored metric at the last evaluation, if any.</param>
/// <param name="ItemsPerSecond">Recent training throughput.</param>
/// <param name="Fraction">How far the run is, 0..1 (steps, epochs or time, whichever is furthest).</param>
/// <param name="Eta">Estimated time left.</param>
public readonly record struct TrainingProgress(long Step, long? MaxSteps, double Epoch, double TrainLoss, double? Monitored, double ItemsPerSecond, double Fraction, TimeSpan Eta);

/// <summary>Hears what a <see cref="Trainer"/> does; every method has an empty default.</summary>
public interface ITrainingObserver
{
    /// <summary>After every step.</summary>
    void OnStep(in TrainingProgress progress)
    {
    }

    /// <summary>After every evaluation, once its checkpoints are written; <paramref name="improved"/> when it is the best so far (never when the run keeps its last checkpoint).</summary>
    void OnEvaluation(Metrics record, bool improved)
    {
    }

    /// <summary>A line worth showing (an interruption, a divergence).</summary>
    void OnMessage(string text)
    {
    }
}
