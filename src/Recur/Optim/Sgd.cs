using Recur.Autograd;

namespace Recur.Optim;

/// <summary>
/// Stochastic gradient descent with momentum, as PyTorch 1.13's <c>torch.optim.SGD</c>. Per element, with
/// g the gradient (negated when maximizing), mu the momentum, tau the dampening and lambda the weight decay:
/// <code>
/// d = g + lambda * p
/// b = d on the first step, else mu * b + (1 - tau) * d      (only when mu != 0)
/// d = d + mu * b (Nesterov) or d = b                       (only when mu != 0)
/// p = p - lr * d
/// </code>
/// </summary>
public sealed class Sgd : Optimizer
{
    private static readonly string[] s_momentumBuffers = ["momentum_buffer"];

    /// <summary>Creates the optimizer over named parameters.</summary>
    /// <exception cref="ArgumentException">
    /// A negative learning rate, momentum or weight decay, or Nesterov without momentum &gt; 0 and dampening 0.
    /// </exception>
    public Sgd(IEnumerable<KeyValuePair<string, Parameter>> parameters, double learningRate, double momentum = 0, double dampening = 0,
        double weightDecay = 0, bool nesterov = false, bool maximize = false)
        : base(parameters, learningRate)
    {
        CheckNonNegative(momentum, "momentum", nameof(momentum));
        CheckNonNegative(weightDecay, "weight decay", nameof(weightDecay));
        if (!double.IsFinite(dampening))
            throw new ArgumentOutOfRangeException(nameof(dampening), $"Invalid dampening: expected a finite value but got {dampening}.");
        if (nesterov && (momentum <= 0 || dampening != 0))
            throw new ArgumentException($"Nesterov momentum requires momentum > 0 and dampening = 0 but got momentum {momentum} and dampening {dampening}.", nameof(nesterov));
        Momentum = momentum;
        Dampening = dampening;
        WeightDecay = weightDecay;
        Nesterov = nesterov;
        Maximize = maximize;
    }

    /// <summary>Creates the optimizer over parameters named "0", "1", ... by position.</summary>
    /// <inheritdoc cref="Sgd(IEnumerable{KeyValuePair{string, Parameter}}, double, double, double, double, bool, bool)"/>
    public Sgd(IEnumerable<Parameter> parameters, double learningRate, double momentum = 0, double dampening = 0,
        double weightDecay = 0, bool nesterov = false, bool maximize = false)
        : this(ByPosition(parameters), learningRate, momentum, dampening, weightDecay, nesterov, maximize)
    {
    }

    /// <summary>The momentum factor mu (0 disables the buffer).</summary>
    public double Momentum { get; }

    /// <summary>The dampening tau applied to the gradient from the second step on.</summary>
    public double Dampening { get; }

    /// <summary>The L2 penalty lambda added to the gradient.</summary>
    public double WeightDecay { get; }

    /// <summary>Whether Nesterov momentum is used.</summary>
    public bool Nesterov { get; }

    /// <summary>Whether the objective is maximized (the gradient is negated).</summary>
    public bool Maximize { get; }

    /// <inheritdoc/>
    protected override string[] BufferNames => Momentum != 0 ? s_momentumBuffers : [];

    /// <inheritdoc/>
    protected override void Update(Span<float> parameter, ReadOnlySpan<float> gradient, float[][] buffers, long step)
    {
        double lr = LearningRate, mu = Momentum, keep = 1 - Dampening, lambda = WeightDecay;
        double sign = Maximize ? -1 : 1;
        var buffer = mu != 0 ? buffers[0] : null;
        for (int i = 0; i < parameter.Length; i++)
        {
            double p = parameter[i];
            double d = sign * gradient[i];
            if (lambda != 0) d += lambda * p;
            if (buffer is not null)
            {
                double b = step == 1 ? d : mu * buffer[i] + keep * d;
                buffer[i] = (float)b;
                d = Nesterov ? d + mu * b : b;
            }
            parameter[i] = (float)(p - lr * d);
        }
    }
}
