// B batch, T time, I input, H hidden, P projection, G gates (LSTM 4H i,f,g,o; GRU 3H r,z,n), L layers, D directions
namespace Recur.Kernels.Recurrent.Reference;

/// <summary>Scalar twins of <see cref="CellActivations"/>: each value computed in double and rounded once.</summary>
public static class ReferenceCellMath
{
    /// <summary>tanh(x).</summary>
    public static float Tanh(float x) => (float)Math.Tanh(x);

    /// <summary>1 / (1 + exp(-x)).</summary>
    public static float Sigmoid(float x) => (float)(1.0 / (1.0 + Math.Exp(-(double)x)));

    /// <summary>max(x, 0), NaN stays NaN.</summary>
    public static float Relu(float x) => x < 0f ? 0f : x;

    /// <summary>y[i] = tanh(x[i]).</summary>
    public static void Tanh(ReadOnlySpan<float> x, Span<float> y)
    {
        for (int i = 0; i < x.Length; i++) y[i] = Tanh(x[i]);
    }

    /// <summary>y[i] = sigmoid(x[i]).</summary>
    public static void Sigmoid(ReadOnlySpan<float> x, Span<float> y)
    {
        for (int i = 0; i < x.Length; i++) y[i] = Sigmoid(x[i]);
    }

    /// <summary>y[i] = max(x[i], 0).</summary>
    public static void Relu(ReadOnlySpan<float> x, Span<float> y)
    {
        for (int i = 0; i < x.Length; i++) y[i] = Relu(x[i]);
    }
}
