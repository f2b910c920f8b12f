// B batch, T time, I input, H hidden, P projection, G gates (LSTM 4H i,f,g,o; GRU 3H r,z,n), L layers, D directions
namespace Recur.Kernels.Recurrent.Reference;

/// <summary>Scalar twin of <see cref="GruCellKernel"/>, one element at a time.</summary>
public static class ReferenceGruCell
{
    /// <summary>Same contract as <see cref="GruCellKernel.Forward(Span{float}, Span{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, int, int, Span{float})"/>.</summary>
    public static void Forward(Span<float> gatesIh, Span<float> gatesHh, ReadOnlySpan<float> biasHh, ReadOnlySpan<float> hPrev,
        int batch, int hidden, Span<float> h)
        => Forward(gatesIh, default, gatesHh, biasHh, hPrev, batch, hidden, h);

    /// <summary>Same contract as <see cref="GruCellKernel.Forward(Span{float}, ReadOnlySpan{float}, Span{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, int, int, Span{float})"/>.</summary>
    public static void Forward(Span<float> gatesIh, ReadOnlySpan<float> biasIh, Span<float> gatesHh, ReadOnlySpan<float> biasHh,
        ReadOnlySpan<float> hPrev, int batch, int hidden, Span<float> h)
    {
        for (int row = 0; row < batch; row++)
            for (int j = 0; j < hidden; j++)
            {
                int g = row * 3 * hidden + j, e = row * hidden + j;
                for (int k = 0; k < 3; k++)
                {
                    if (!biasIh.IsEmpty) gatesIh[g + (k * hidden)] += biasIh[j + (k * hidden)];
                    if (!biasHh.IsEmpty) gatesHh[g + (k * hidden)] += biasHh[j + (k * hidden)];
                }
                float r = ReferenceCellMath.Sigmoid(gatesIh[g] + gatesHh[g]);
                float z = ReferenceCellMath.Sigmoid(gatesIh[g + hidden] + gatesHh[g + hidden]);
                float n = ReferenceCellMath.Tanh(gatesIh[g + (2 * hidden)] + (r * gatesHh[g + (2 * hidden)]));
                (gatesIh[g], gatesIh[g + hidden], gatesIh[g + (2 * hidden)]) = (r, z, n);
                h[e] = ((1f - z) * n) + (z * hPrev[e]);
            }
    }

    /// <summary>Same contract as <see cref="GruCellKernel.Backward"/>.</summary>
    public static void Backward(ReadOnlySpan<float> gates, ReadOnlySpan<float> gatesHh, ReadOnlySpan<float> hPrev, ReadOnlySpan<float> dH,
        int batch, int hidden, Span<float> dGatesIh, Span<float> dGatesHh, Span<float> dHPrev)
    {
        for (int row = 0; row < batch; row++)
            for (int j = 0; j < hidden; j++)
            {
                int g = row * 3 * hidden + j, e = row * hidden + j;
                float r = gates[g], z = gates[g + hidden], n = gates[g + (2 * hidden)], dh = dH[e];
                float dn = dh * (1f - z) * (1f - (n * n));
                float dz = dh * (hPrev[e] - n) * z * (1f - z);
                float dr = dn * gatesHh[g + (2 * hidden)] * r * (1f - r);
                dGatesIh[g] = dr;
                dGatesIh[g + hidden] = dz;
                dGatesIh[g + (2 * hidden)] = dn;
                dGatesHh[g] = dr;
                dGatesHh[g + hidden] = dz;
                dGatesHh[g + (2 * hidden)] = dn * r;
                dHPrev[e] = dh * z;
            }
    }
}
