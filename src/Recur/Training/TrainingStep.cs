using Recur.Autograd;
using Recur.NN;
using Recur.Optim;

namespace Recur.Training;

/// <summary>The update of one training step, shared by the <see cref="Trainer"/>, the experiments and the benchmarks.</summary>
public static class TrainingStep
{
    /// <summary>
    /// Backpropagates <paramref name="loss"/> (freeing the graph), clips the gradients of <paramref name="model"/> to a
    /// global norm of <paramref name="gradClip"/> (0: no clipping) and lets <paramref name="optimizer"/> step, which
    /// scales the gradients as it updates and, with <paramref name="zeroGradients"/>, leaves them zeroed for the next
    /// step: the values of ClipGradNorm, Step and ZeroGrad one after the other, in fewer passes over memory.
    /// </summary>
    public static void Apply(Variable loss, Module model, Optimizer optimizer, double gradClip = 0, bool zeroGradients = false)
    {
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        loss.Backward(retainGraph: false); // the graph is not used again: its pooled buffers go back at once
        double scale = gradClip > 0 ? GradClip.Coefficient(model.Parameters(), gradClip) : 1;
        optimizer.Step(scale, zeroGradients);
    }
}
