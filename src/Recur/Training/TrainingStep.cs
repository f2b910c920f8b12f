using Recur.Autograd;
using Recur.NN;
using Recur.Optim;

namespace Recur.Training;

/// <summary>The update of one training step, shared by the <see cref="Trainer"/>, the experiments and the benchmarks.</summary>
public static class TrainingStep
{
    /// <summary>
    /// Backpropagates <paramref name="loss"/> (freeing the graph), clips the gradients of <paramref name="model"/> to a
    /// global norm of <paramref name="gradClip"/> (0: no clipping) and lets <paramref name="optimizer"/> step. The caller
    /// zeroes the gradients before the forward pass.
    /// </summary>
    public static void Apply(Variable loss, Module model, Optimizer optimizer, double gradClip = 0)
    {
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        loss.Backward(retainGraph: false); // the graph is not used again: its pooled buffers go back at once
        if (gradClip > 0) GradClip.ClipGradNorm(model.Parameters(), gradClip);
        optimizer.Step();
    }
}
