using Recur.Autograd;

namespace Recur.Optim;

/// <summary>
/// Adam, as PyTorch 1.13's <c>torch.optim.Adam</c>: weight decay is an L2 penalty added to the gradient,
/// g = g + lambda * p, before the moments are updated.
/// Per element, with g the gradient (negated when maximizing) and t this parameter's step count:
/// <code>
/// m = beta1 * m + (1 - beta1) * g
/// v = beta2 * v + (1 - beta2) * g^2
/// v_max = max(v_max, v), v = v_max                (amsgrad)
/// p = p - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
/// </code>
/// </summary>
public sealed class Adam : Optimizer
{
    /// <summary>Creates the optimizer over named parameters.</summary>
    /// <exception cref="ArgumentException">
    /// A negative learning rate, epsilon or weight decay, or a beta outside [0, 1).
    /// </exception>
    public Adam(IEnumerable<KeyValuePair<string, Parameter>> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double epsilon = 1e-8, double weightDecay = 0, bool amsgrad = false, bool maximize = false)
        : base(parameters, learningRate)
    {
        CheckBeta(beta1, "beta1", nameof(beta1));
        CheckBeta(beta2, "beta2", nameof(beta2));
        CheckNonNegative(epsilon, "epsilon", nameof(epsilon));
        CheckNonNegative(weightDecay, "weight decay", nameof(weightDecay));
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        WeightDecay = weightDecay;
        Amsgrad = amsgrad;
        Maximize = maximize;
    }

    /// <summary>Creates the optimizer over parameters named "0", "1", ... by position.</summary>
    /// <inheritdoc cref="Adam(IEnumerable{KeyValuePair{string, Parameter}}, double, double, double, double, double, bool, bool)"/>
    public Adam(IEnumerable<Parameter> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double epsilon = 1e-8, double weightDecay = 0, bool amsgrad = false, bool maximize = false)
        : this(ByPosition(parameters), learningRate, beta1, beta2, epsilon, weightDecay, amsgrad, maximize)
    {
    }

    /// <summary>Decay rate of the first moment m.</summary>
    public double Beta1 { get; }

    /// <summary>Decay rate of the second moment v.</summary>
    public double Beta2 { get; }

    /// <summary>Added to the denominator for numerical stability.</summary>
    public double Epsilon { get; }

    /// <summary>The L2 penalty lambda added to the gradient.</summary>
    public double WeightDecay { get; }

    /// <summary>Whether the running maximum of v is used (AMSGrad).</summary>
    public bool Amsgrad { get; }

    /// <summary>Whether the objective is maximized (the gradient is negated).</summary>
    public bool Maximize { get; }

    /// <inheritdoc/>
    protected override string[] BufferNames => Amsgrad ? AdamUpdate.AmsgradBufferNames : AdamUpdate.BufferNames;

    /// <inheritdoc/>
    protected override void Update(Span<float> parameter, ReadOnlySpan<float> gradient, float[][] buffers, long step) =>
        AdamUpdate.Apply(parameter, gradient, buffers, step, LearningRate, Beta1, Beta2, Epsilon, WeightDecay, decoupled: false, Amsgrad, Maximize);
}
