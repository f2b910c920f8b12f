using Recur.Autograd;

namespace Recur.Optim;

/// <summary>
/// Adagrad, as PyTorch 1.13's <c>torch.optim.Adagrad</c>. Per element, with g the gradient (negated when
/// maximizing), lambda the weight decay and t this parameter's step count (1 on the first update):
/// <code>
/// g = g + lambda * p
/// clr = lr / (1 + (t - 1) * lr_decay)
/// s = s + g^2                      (s starts at the initial accumulator value)
/// p = p - clr * g / (sqrt(s) + eps)
/// </code>
/// </summary>
public sealed class Adagrad : Optimizer
{
    private static readonly string[] s_bufferNames = ["sum"];

    /// <summary>Creates the optimizer over named parameters.</summary>
    /// <exception cref="ArgumentException">
    /// A negative learning rate, learning-rate decay, weight decay, initial accumulator value or epsilon.
    /// </exception>
    public Adagrad(IEnumerable<KeyValuePair<string, Parameter>> parameters, double learningRate = 1e-2, double learningRateDecay = 0,
        double weightDecay = 0, double initialAccumulatorValue = 0, double epsilon = 1e-10, bool maximize = false)
        : base(parameters, learningRate)
    {
        CheckNonNegative(learningRateDecay, "learning rate decay", nameof(learningRateDecay));
        CheckNonNegative(weightDecay, "weight decay", nameof(weightDecay));
        CheckNonNegative(initialAccumulatorValue, "initial accumulator value", nameof(initialAccumulatorValue));
        CheckNonNegative(epsilon, "epsilon", nameof(epsilon));
        LearningRateDecay = learningRateDecay;
        WeightDecay = weightDecay;
        InitialAccumulatorValue = initialAccumulatorValue;
        Epsilon = epsilon;
        Maximize = maximize;
    }

    /// <summary>Creates the optimizer over parameters named "0", "1", ... by position.</summary>
    /// <inheritdoc cref="Adagrad(IEnumerable{KeyValuePair{string, Parameter}}, double, double, double, double, double, bool)"/>
    public Adagrad(IEnumerable<Parameter> parameters, double learningRate = 1e-2, double learningRateDecay = 0,
        double weightDecay = 0, double initialAccumulatorValue = 0, double epsilon = 1e-10, bool maximize = false)
        : this(ByPosition(parameters), learningRate, learningRateDecay, weightDecay, initialAccumulatorValue, epsilon, maximize)
    {
    }

    /// <summary>The learning-rate decay: step t uses lr / (1 + (t - 1) * decay).</summary>
    public double LearningRateDecay { get; }

    /// <summary>The L2 penalty lambda added to the gradient.</summary>
    public double WeightDecay { get; }

    /// <summary>The value every accumulator starts from.</summary>
    public double InitialAccumulatorValue { get; }

    /// <summary>Added to the denominator for numerical stability.</summary>
    public double Epsilon { get; }

    /// <summary>Whether the objective is maximized (the gradient is negated).</summary>
    public bool Maximize { get; }

    /// <inheritdoc/>
    protected override string[] BufferNames => s_bufferNames;

    /// <inheritdoc/>
    protected override float InitialBufferValue(int index) => (float)InitialAccumulatorValue;

    /// <inheritdoc/>
    protected override void Update(Span<float> parameter, ReadOnlySpan<float> gradient, float[][] buffers, long step)
    {
        double clr = LearningRate / (1 + (step - 1) * LearningRateDecay);
        double eps = Epsilon, lambda = WeightDecay;
        double sign = Maximize ? -1 : 1;
        var sum = buffers[0];
        for (int i = 0; i < parameter.Length; i++)
        {
            double p = parameter[i];
            double g = sign * gradient[i];
            if (lambda != 0) g += lambda * p;
            double s = sum[i] + g * g;
            sum[i] = (float)s;
            parameter[i] = (float)(p - clr * (g / (Math.Sqrt(s) + eps)));
        }
    }
}
