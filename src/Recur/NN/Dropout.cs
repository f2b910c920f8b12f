using Recur.Autograd;

namespace Recur.NN;

/// <summary>Inverted dropout with probability <see cref="P"/> in training mode; identity in evaluation mode.</summary>
public sealed class Dropout : Module, ILayer
{
    private readonly RandomGenerator _rng;

    /// <summary>Creates the layer; <paramref name="rng"/> defaults to <see cref="RandomGenerator.Default"/>.</summary>
    public Dropout(double p = 0.5, RandomGenerator? rng = null)
    {
        if (!(p >= 0 && p <= 1)) throw new ArgumentOutOfRangeException(nameof(p), $"Dropout probability must be in [0, 1] but got {p}.");
        P = p;
        _rng = rng ?? RandomGenerator.Default;
    }

    /// <summary>Probability of zeroing an element.</summary>
    public double P { get; }

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"p={Py(P)}, inplace=False";

    /// <summary>Applies dropout when training.</summary>
    public Variable Forward(Variable x) => Ops.Dropout(x, P, _rng, IsTraining);
}
