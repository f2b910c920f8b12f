using Recur.Autograd;

namespace Recur.Optim;

/// <summary>
/// RMSprop, as PyTorch 1.13's <c>torch.optim.RMSprop</c>. Per element, with g the gradient (negated when
/// maximizing), alpha the smoothing constant, lambda the weight decay and mu the momentum:
/// <code>
/// g = g + lambda * p
/// s = alpha * s + (1 - alpha) * g^2
/// a = alpha * a + (1 - alpha) * g,  r = sqrt(s - a^2) + eps      (centered)
/// r = sqrt(s) + eps                                              (otherwise)
/// b = mu * b + g / r,  p = p - lr * b                            (mu &gt; 0)
/// p = p - lr * g / r                                             (otherwise)
/// </code>
/// </summary>
public sealed class RmsProp : Optimizer
{
    private readonly string[] _bufferNames;

    /// <summary>Creates the optimizer over named parameters.</summary>
    /// <exception cref="ArgumentException">A negative learning rate, alpha, epsilon, weight decay or momentum.</exception>
    public RmsProp(IEnumerable<KeyValuePair<string, Parameter>> parameters, double learningRate = 1e-2, double alpha = 0.99, double epsilon = 1e-8,
        double weightDecay = 0, double momentum = 0, bool centered = false, bool maximize = false)
        : base(parameters, learningRate)
    {
        CheckNonNegative(alpha, "alpha", nameof(alpha));
        CheckNonNegative(epsilon, "epsilon", nameof(epsilon));
        CheckNonNegative(weightDecay, "weight decay", nameof(weightDecay));
        CheckNonNegative(momentum, "momentum", nameof(momentum));
        Alpha = alpha;
        Epsilon = epsilon;
        WeightDecay = weightDecay;
        Momentum = momentum;
        Centered = centered;
        Maximize = maximize;
        _bufferNames = ["square_avg", .. (momentum > 0 ? (string[])["momentum_buffer"] : []), .. (centered ? (string[])["grad_avg"] : [])];
    }

    /// <summary>Creates the optimizer over parameters named "0", "1", ... by position.</summary>
    /// <inheritdoc cref="RmsProp(IEnumerable{KeyValuePair{string, Parameter}}, double, double, double, double, double, bool, bool)"/>
    public RmsProp(IEnumerable<Parameter> parameters, double learningRate = 1e-2, double alpha = 0.99, double epsilon = 1e-8,
        double weightDecay = 0, double momentum = 0, bool centered = false, bool maximize = false)
        : this(ByPosition(parameters), learningRate, alpha, epsilon, weightDecay, momentum, centered, maximize)
    {
    }

    /// <summary>The smoothing constant alpha of the running averages.</summary>
    public double Alpha { get; }

    /// <summary>Added to the denominator for numerical stability.</summary>
    public double Epsilon { get; }

    /// <summary>The L2 penalty lambda added to the gradient.</summary>
    public double WeightDecay { get; }

    /// <summary>The momentum factor mu (0 disables the buffer).</summary>
    public double Momentum { get; }

    /// <summary>Whether the gradient's running mean is subtracted from the second moment (variance estimate).</summary>
    public bool Centered { get; }

    /// <summary>Whether the objective is maximized (the gradient is negated).</summary>
    public bool Maximize { get; }

    /// <inheritdoc/>
    protected override string[] BufferNames => _bufferNames;

    /// <inheritdoc/>
    protected override void Update(Span<float> parameter, ReadOnlySpan<float> gradient, float[][] buffers, long step)
    {
        double lr = LearningRate, alpha = Alpha, eps = Epsilon, lambda = WeightDecay, mu = Momentum;
        double sign = Maximize ? -1 : 1;
        var squareAvg = buffers[0];
        var momentumBuffer = mu > 0 ? buffers[1] : null;
        var gradAvg = Centered ? buffers[^1] : null;
        for (int i = 0; i < parameter.Length; i++)
        {
            double p = parameter[i];
            double g = sign * gradient[i];
            if (lambda != 0) g += lambda * p;
            double s = alpha * squareAvg[i] + (1 - alpha) * g * g;
            squareAvg[i] = (float)s;
            double r;
            if (gradAvg is not null)
            {
                double a = alpha * gradAvg[i] + (1 - alpha) * g;
                gradAvg[i] = (float)a;
                r = Math.Sqrt(s - a * a) + eps;
            }
            else
            {
                r = Math.Sqrt(s) + eps;
            }
            if (momentumBuffer is not null)
            {
                double b = mu * momentumBuffer[i] + g / r;
                momentumBuffer[i] = (float)b;
                parameter[i] = (float)(p - lr * b);
            }
            else
            {
                parameter[i] = (float)(p - lr * (g / r));
            }
        }
    }
}
