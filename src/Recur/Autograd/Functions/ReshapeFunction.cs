using System.Numerics.Tensors;

namespace Recur.Autograd.Functions;

/// <summary>Y = X with a new shape (a view; no copy). Backward adds dY reshaped back.</summary>
internal sealed class ReshapeFunction : Function
{
    public Variable Forward(Variable x, int[] shape) => Record(x.Value.Reshape(shape), x);

    protected internal override void Backward(Tensor dOutput)
    {
        var d = GradOf(0).Span;
        TensorPrimitives.Add(d, dOutput.Span, d);
    }
}
