namespace Recur.Optim;

/// <summary>
/// A snapshot of an <see cref="Optimizer"/> for checkpoints: the learning rate, the number of updates each
/// parameter has received, and each parameter's buffers under the key <c>"&lt;parameter name&gt;.&lt;buffer&gt;"</c>
/// with PyTorch's buffer names (<c>exp_avg</c>, <c>exp_avg_sq</c>, <c>max_exp_avg_sq</c>, <c>momentum_buffer</c>,
/// <c>square_avg</c>, <c>grad_avg</c>, <c>sum</c>), each with its parameter's shape. Parameters that have not been
/// updated yet have neither a step count nor buffers, as in PyTorch's lazily created state.
/// </summary>
public sealed class OptimizerState
{
    /// <summary>Creates a snapshot (the dictionaries are copied, the tensors are not).</summary>
    public OptimizerState(double learningRate, IReadOnlyDictionary<string, long> steps, IReadOnlyDictionary<string, Tensor> tensors, long stepCount = 0)
    {
        StepCount = stepCount;
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentNullException.ThrowIfNull(tensors);
        LearningRate = learningRate;
        Steps = new Dictionary<string, long>(steps, StringComparer.Ordinal);
        Tensors = new Dictionary<string, Tensor>(tensors, StringComparer.Ordinal);
    }

    /// <summary>The optimizer's <see cref="Optimizer.StepCount"/>: updates taken, which a schedule counts from.</summary>
    public long StepCount { get; }

    /// <summary>The learning rate at the time of the snapshot.</summary>
    public double LearningRate { get; }

    /// <summary>Parameter name to the number of updates that parameter has received.</summary>
    public IReadOnlyDictionary<string, long> Steps { get; }

    /// <summary><c>"&lt;parameter name&gt;.&lt;buffer&gt;"</c> to the buffer's values.</summary>
    public IReadOnlyDictionary<string, Tensor> Tensors { get; }
}
