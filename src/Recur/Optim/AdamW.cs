using Recur.Autograd;

namespace Recur.Optim;

/// <summary>
/// AdamW, as PyTorch 1.13's <c>torch.optim.AdamW</c>: decoupled weight decay, p = p * (1 - lr * lambda) before
/// the <see cref="Adam"/> update, whose gradient is left without an L2 term. The default lambda is 0.01 as in PyTorch.
/// </summary>
public sealed class AdamW : Adam
{
    /// <summary>Creates the optimizer over named parameters.</summary>
    /// <exception cref="ArgumentException">
    /// A negative learning rate, epsilon or weight decay, or a beta outside [0, 1).
    /// </exception>
    public AdamW(IEnumerable<KeyValuePair<string, Parameter>> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double epsilon = 1e-8, double weightDecay = 0.01, bool amsgrad = false, bool maximize = false)
        : base(parameters, learningRate, beta1, beta2, epsilon, weightDecay, amsgrad, maximize, decoupled: true)
    {
    }

    /// <summary>Creates the optimizer over parameters named "0", "1", ... by position.</summary>
    /// <inheritdoc cref="AdamW(IEnumerable{KeyValuePair{string, Parameter}}, double, double, double, double, double, bool, bool)"/>
    public AdamW(IEnumerable<Parameter> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double epsilon = 1e-8, double weightDecay = 0.01, bool amsgrad = false, bool maximize = false)
        : base(ByPosition(parameters), learningRate, beta1, beta2, epsilon, weightDecay, amsgrad, maximize, decoupled: true)
    {
    }
}
