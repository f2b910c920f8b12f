// B batch, T time, I input, H hidden, P projection, G gates (LSTM 4H i,f,g,o; GRU 3H r,z,n), L layers, D directions
using static Recur.Kernels.Recurrent.SpanChecks;

namespace Recur.Kernels.Recurrent;

/// <summary>
/// Elman RNN cell, pointwise part: h = act(a) with a = x W_ih^T + b_ih + h_prev W_hh^T + b_hh computed by the
/// caller ([b, H], any number of elements: the math is elementwise). Outputs may be the inputs (in place).
/// </summary>
public static class RnnCellKernel
{
    /// <summary>h = tanh(a).</summary>
    public static void ForwardTanh(ReadOnlySpan<float> preactivation, Span<float> h) => CellActivations.Tanh(preactivation, h);

    /// <summary>h = max(a, 0).</summary>
    public static void ForwardRelu(ReadOnlySpan<float> preactivation, Span<float> h) => CellActivations.Relu(preactivation, h);

    /// <summary>dA = dH (1 - h^2), from the cell's output h = tanh(a) (<see cref="Pointwise.TanhBackward"/>). dA may be dH.</summary>
    public static void BackwardTanh(ReadOnlySpan<float> h, ReadOnlySpan<float> dH, Span<float> dPreactivation)
    {
        int n = h.Length;
        AtLeast(dH.Length, n, nameof(dH), "h.Length");
        AtLeast(dPreactivation.Length, n, nameof(dPreactivation), "h.Length");
        Pointwise.TanhBackward(h, dH[..n], dPreactivation[..n]);
    }

    /// <summary>
    /// dA = h &gt; 0 ? dH : 0, from the cell's output h = max(a, 0) (PyTorch's threshold on the result;
    /// <see cref="Pointwise.ReluBackward"/>). dA may be dH.
    /// </summary>
    public static void BackwardRelu(ReadOnlySpan<float> h, ReadOnlySpan<float> dH, Span<float> dPreactivation)
    {
        int n = h.Length;
        AtLeast(dH.Length, n, nameof(dH), "h.Length");
        AtLeast(dPreactivation.Length, n, nameof(dPreactivation), "h.Length");
        Pointwise.ReluBackward(h, dH[..n], dPreactivation[..n]);
    }
}
