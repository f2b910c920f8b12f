using System.Numerics.Tensors;

namespace Recur.Autograd.Functions;

/// <summary>
/// Inverted dropout: Y = X * M / (1 - p) with M ~ Bernoulli(1 - p) per element (Y = 0 when p = 1).
/// Backward: dX += dY * M / (1 - p).
/// </summary>
internal sealed class DropoutFunction : Function
{
    private Tensor _mask = null!; // [same as X], holds 0 or 1 / (1 - p)

    public Variable Forward(Variable x, double p, RandomGenerator rng)
    {
        _mask = new Tensor(x.Value.ShapeArray);
        var m = _mask.Span;
        float keepScale = p >= 1 ? 0f : (float)(1.0 / (1.0 - p));
        rng.FillKeepMask(m, p, keepScale); // the draws of: m[i] = rng.NextDouble() >= p ? keepScale : 0
        var y = new Tensor(x.Value.ShapeArray);
        TensorPrimitives.Multiply(x.Value.Span, m, y.Span);
        return Record(y, x);
    }

    protected internal override void Backward(Tensor dOutput)
    {
        var d = GradOf(0).Span;
        TensorPrimitives.MultiplyAdd(dOutput.Span, _mask.Span, d, d);
    }
}
