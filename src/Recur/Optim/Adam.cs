using Recur.Autograd;
using Recur.Kernels;

namespace Recur.Optim;

/// <summary>
/// Adam, as PyTorch 1.13's <c>torch.optim.Adam</c>: weight decay is an L2 penalty added to the gradient,
/// g = g + lambda * p, before the moments are updated (<see cref="AdamW"/> decouples it instead).
/// Per element, with g the gradient (negated when maximizing) and t this parameter's step count:
/// <code>
/// m = beta1 * m + (1 - beta1) * g
/// v = beta2 * v + (1 - beta2) * g^2
/// v_max = max(v_max, v), v = v_max                (amsgrad)
/// p = p - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
/// </code>
/// State is float32; each element is computed in double from it.
/// </summary>
public class Adam : Optimizer
{
    private static readonly string[] s_bufferNames = ["exp_avg", "exp_avg_sq"];
    private static readonly string[] s_amsgradBufferNames = ["exp_avg", "exp_avg_sq", "max_exp_avg_sq"];
    private readonly bool _decoupled;

    /// <summary>Creates the optimizer over named parameters.</summary>
    /// <exception cref="ArgumentException">
    /// A negative learning rate, epsilon or weight decay, or a beta outside [0, 1).
    /// </exception>
    public Adam(IEnumerable<KeyValuePair<string, Parameter>> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double epsilon = 1e-8, double weightDecay = 0, bool amsgrad = false, bool maximize = false)
        : this(parameters, learningRate, beta1, beta2, epsilon, weightDecay, amsgrad, maximize, decoupled: false)
    {
    }

    /// <summary>Creates the optimizer over parameters named "0", "1", ... by position.</summary>
    /// <inheritdoc cref="Adam(IEnumerable{KeyValuePair{string, Parameter}}, double, double, double, double, double, bool, bool)"/>
    public Adam(IEnumerable<Parameter> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double epsilon = 1e-8, double weightDecay = 0, bool amsgrad = false, bool maximize = false)
        : this(ByPosition(parameters), learningRate, beta1, beta2, epsilon, weightDecay, amsgrad, maximize, decoupled: false)
    {
    }

    private protected Adam(IEnumerable<KeyValuePair<string, Parameter>> parameters, double learningRate, double beta1, double beta2,
        double epsilon, double weightDecay, bool amsgrad, bool maximize, bool decoupled)
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
        _decoupled = decoupled;
    }

    /// <summary>Decay rate of the first moment m.</summary>
    public double Beta1 { get; }

    /// <summary>Decay rate of the second moment v.</summary>
    public double Beta2 { get; }

    /// <summary>Added to the denominator for numerical stability.</summary>
    public double Epsilon { get; }

    /// <summary>The weight decay lambda: an L2 penalty on the gradient (Adam) or a decoupled shrink by lr * lambda (AdamW).</summary>
    public double WeightDecay { get; }

    /// <summary>Whether the running maximum of v is used (AMSGrad).</summary>
    public bool Amsgrad { get; }

    /// <summary>Whether the objective is maximized (the gradient is negated).</summary>
    public bool Maximize { get; }

    /// <inheritdoc/>
    protected override string[] BufferNames => Amsgrad ? s_amsgradBufferNames : s_bufferNames;

    /// <inheritdoc/>
    protected override void Update(Span<float> parameter, ReadOnlySpan<float> gradient, float[][] buffers, long step) =>
        AdamKernel.Update(parameter, gradient, buffers[0], buffers[1], Amsgrad ? buffers[2] : default, Constants(step, 1));

    /// <inheritdoc/>
    protected override void UpdateScaled(Span<float> parameter, Span<float> gradient, float[][] buffers, long step, double scale, bool zero) =>
        AdamKernel.Update(parameter, gradient, buffers[0], buffers[1], Amsgrad ? buffers[2] : default, Constants(step, scale), zero);

    private AdamConstants Constants(long step, double gradientScale)
    {
        double lr = LearningRate;
        return new AdamConstants(Beta1, Beta2, Epsilon, lr / (1 - Math.Pow(Beta1, step)), Math.Sqrt(1 - Math.Pow(Beta2, step)),
            _decoupled ? 1 - lr * WeightDecay : 1, _decoupled ? 0 : WeightDecay, Maximize ? -1 : 1, gradientScale);
    }
}
