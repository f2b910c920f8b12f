// B batch, T time, I input, H hidden, P projection, G gates (LSTM 4H i,f,g,o; GRU 3H r,z,n), L layers, D directions
namespace Recur.Kernels.Recurrent.Reference;

/// <summary>Scalar twin of <see cref="LstmCellKernel"/>, one element at a time.</summary>
public static class ReferenceLstmCell
{
    /// <summary>Same contract as <see cref="LstmCellKernel.Forward(Span{float}, ReadOnlySpan{float}, int, int, Span{float}, Span{float})"/>.</summary>
    public static void Forward(Span<float> gates, ReadOnlySpan<float> cPrev, int batch, int hidden, Span<float> c, Span<float> h)
        => Forward(gates, default, cPrev, batch, hidden, c, h);

    /// <summary>Same contract as <see cref="LstmCellKernel.Forward(Span{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, int, int, Span{float}, Span{float})"/>.</summary>
    public static void Forward(Span<float> gates, ReadOnlySpan<float> bias, ReadOnlySpan<float> cPrev, int batch, int hidden, Span<float> c, Span<float> h)
    {
        for (int r = 0; r < batch; r++)
            for (int j = 0; j < hidden; j++)
            {
                int g = r * 4 * hidden + j, e = r * hidden + j;
                for (int k = 0; k < 4; k++)
                    if (!bias.IsEmpty) gates[g + (k * hidden)] += bias[j + (k * hidden)];
                float i = ReferenceCellMath.Sigmoid(gates[g]);
                float f = ReferenceCellMath.Sigmoid(gates[g + hidden]);
                float gg = ReferenceCellMath.Tanh(gates[g + (2 * hidden)]);
                float o = ReferenceCellMath.Sigmoid(gates[g + (3 * hidden)]);
                (gates[g], gates[g + hidden], gates[g + (2 * hidden)], gates[g + (3 * hidden)]) = (i, f, gg, o);
                float cNew = (f * cPrev[e]) + (i * gg);
                c[e] = cNew;
                h[e] = o * ReferenceCellMath.Tanh(cNew);
            }
    }

    /// <summary>Same contract as <see cref="LstmCellKernel.Backward"/>.</summary>
    public static void Backward(ReadOnlySpan<float> gates, ReadOnlySpan<float> cPrev, ReadOnlySpan<float> c, ReadOnlySpan<float> dH,
        int batch, int hidden, Span<float> dC, Span<float> dGates)
    {
        for (int r = 0; r < batch; r++)
            for (int j = 0; j < hidden; j++)
            {
                int g = r * 4 * hidden + j, e = r * hidden + j;
                float i = gates[g], f = gates[g + hidden], gg = gates[g + (2 * hidden)], o = gates[g + (3 * hidden)];
                float s = ReferenceCellMath.Tanh(c[e]);
                float dc = dC[e] + (dH[e] * o * (1f - (s * s)));
                dGates[g] = dc * gg * i * (1f - i);
                dGates[g + hidden] = dc * cPrev[e] * f * (1f - f);
                dGates[g + (2 * hidden)] = dc * i * (1f - (gg * gg));
                dGates[g + (3 * hidden)] = dH[e] * s * o * (1f - o);
                dC[e] = dc * f;
            }
    }
}
