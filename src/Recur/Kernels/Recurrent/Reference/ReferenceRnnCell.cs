// B batch, T time, I input, H hidden, P projection, G gates (LSTM 4H i,f,g,o; GRU 3H r,z,n), L layers, D directions
namespace Recur.Kernels.Recurrent.Reference;

/// <summary>Scalar twin of <see cref="RnnCellKernel"/>.</summary>
public static class ReferenceRnnCell
{
    /// <summary>h = tanh(a).</summary>
    public static void ForwardTanh(ReadOnlySpan<float> preactivation, Span<float> h) => ReferenceCellMath.Tanh(preactivation, h);

    /// <summary>h = max(a, 0).</summary>
    public static void ForwardRelu(ReadOnlySpan<float> preactivation, Span<float> h) => ReferenceCellMath.Relu(preactivation, h);

    /// <summary>dA = dH (1 - h^2).</summary>
    public static void BackwardTanh(ReadOnlySpan<float> h, ReadOnlySpan<float> dH, Span<float> dPreactivation)
    {
        for (int i = 0; i < h.Length; i++) dPreactivation[i] = dH[i] * (1f - (h[i] * h[i]));
    }

    /// <summary>dA = h &gt; 0 ? dH : 0.</summary>
    public static void BackwardRelu(ReadOnlySpan<float> h, ReadOnlySpan<float> dH, Span<float> dPreactivation)
    {
        for (int i = 0; i < h.Length; i++) dPreactivation[i] = h[i] > 0f ? dH[i] : 0f;
    }
}
