// B batch, T time, I input, H hidden, P projection, G gates (LSTM 4H i,f,g,o; GRU 3H r,z,n), L layers, D directions
using System.Numerics.Tensors;

namespace Recur.Kernels.Recurrent;

/// <summary>
/// The activations of the recurrent cells over spans. Each writes <c>y[i] = f(x[i])</c> for i &lt; x.Length;
/// <c>y</c> may be <c>x</c> itself (in place) but must not overlap it otherwise.
/// </summary>
public static class CellActivations
{
    /// <summary>
    /// y = tanh(x) (<see cref="Pointwise.Tanh"/>, the one tanh of the kernels: single precision, within 1.51 ulp): exact
    /// zero stays zero (with its sign), +-Inf gives +-1, NaN stays NaN. (System.Numerics.Tensors 10.0's Tanh returns
    /// -6e-8 for 0 and loses the relative precision of tiny inputs.)
    /// </summary>
    public static void Tanh(ReadOnlySpan<float> x, Span<float> y)
    {
        CheckDestination(x.Length, y.Length);
        Pointwise.Tanh(x, y[..x.Length]);
    }

    /// <summary>y = 1 / (1 + exp(-x)) (<see cref="Pointwise.Sigmoid"/>: single precision, within 2.41 ulp).</summary>
    public static void Sigmoid(ReadOnlySpan<float> x, Span<float> y)
    {
        CheckDestination(x.Length, y.Length);
        Pointwise.Sigmoid(x, y[..x.Length]);
    }

    /// <summary>y = max(x, 0) (TensorPrimitives.Max); NaN stays NaN.</summary>
    public static void Relu(ReadOnlySpan<float> x, Span<float> y)
    {
        CheckDestination(x.Length, y.Length);
        TensorPrimitives.Max(x, 0f, y[..x.Length]);
    }

    /// <summary>Scalar tanh with the same formula as the span version.</summary>
    public static float Tanh(float x) => TanhOp.Invoke(x);

    private static void CheckDestination(int source, int destination)
    {
        if (destination < source)
            throw new ArgumentException($"The destination holds {destination} elements but the source has {source}.", "y");
    }
}
