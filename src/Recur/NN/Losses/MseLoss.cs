using Recur.Autograd;

namespace Recur.NN;

/// <summary>
/// Mean squared error, as PyTorch's <c>nn.MSELoss</c>: l_i = (input_i - target_i)^2 over inputs of equal shape;
/// <see cref="Reduction.Mean"/> gives sum_i l_i / n, <see cref="Reduction.Sum"/> gives sum_i l_i and
/// <see cref="Reduction.None"/> gives l with the inputs' shape. Gradients flow to both inputs.
/// </summary>
public sealed class MseLoss
{
    /// <summary>Creates the loss with the given reduction (PyTorch's default is the mean).</summary>
    public MseLoss(Reduction reduction = Reduction.Mean)
    {
        if (!Enum.IsDefined(reduction))
            throw new ArgumentOutOfRangeException(nameof(reduction), $"Unknown reduction {reduction}.");
        Reduction = reduction;
    }

    /// <summary>How the squared errors combine.</summary>
    public Reduction Reduction { get; }

    /// <summary>The loss of <paramref name="input"/> against <paramref name="target"/> (same shape).</summary>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public Variable Forward(Variable input, Variable target)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        if (!input.Value.SameShape(target.Value))
            throw new ArgumentException(
                $"Input and target must have the same shape but got {Tensor.FormatShape(input.Shape)} and {Tensor.FormatShape(target.Shape)}.", nameof(target));
        return new MseFunction().Forward(input, target, Reduction);
    }

    /// <summary>One-call form of <c>new MseLoss(reduction).Forward(input, target)</c>.</summary>
    public static Variable Compute(Variable input, Variable target, Reduction reduction = Reduction.Mean) =>
        new MseLoss(reduction).Forward(input, target);
}
