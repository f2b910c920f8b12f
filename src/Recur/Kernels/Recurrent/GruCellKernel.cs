// B batch, T time, I input, H hidden, P projection, G gates (LSTM 4H i,f,g,o; GRU 3H r,z,n), L layers, D directions
using System.Numerics;
using System.Numerics.Tensors;
using static Recur.Kernels.Recurrent.SpanChecks;

namespace Recur.Kernels.Recurrent;

/// <summary>
/// GRU cell, pointwise part, for b rows, in PyTorch's gate order r, z, n. The input side
/// gi = x W_ih^T + b_ih and the hidden side gh = h_prev W_hh^T (+ b_hh) stay apart because the reset gate
/// multiplies the hidden side of the candidate only.
/// </summary>
public static class GruCellKernel
{
    /// <summary>
    /// r = sigmoid(gi_r + gh_r), z = sigmoid(gi_z + gh_z), n = tanh(gi_n + r * gh_n), h = (1 - z) * n + z * h_prev.
    /// In: <paramref name="gatesIh"/> [b, 3H] = gi, <paramref name="gatesHh"/> [b, 3H] = h_prev W_hh^T, <paramref name="biasHh"/>
    /// [3H] = b_hh (empty for none). Out: <paramref name="gatesIh"/> = r, z, n; <paramref name="gatesHh"/> = gh with b_hh
    /// added (backward needs gh_n); <paramref name="h"/> [b, H], which may be <paramref name="hPrev"/> (in place).
    /// </summary>
    public static void Forward(Span<float> gatesIh, Span<float> gatesHh, ReadOnlySpan<float> biasHh, ReadOnlySpan<float> hPrev,
        int batch, int hidden, Span<float> h)
    {
        Sizes(batch, hidden);
        int bh = batch * hidden, g3 = 3 * hidden;
        AtLeast(gatesIh.Length, 3 * bh, nameof(gatesIh), "[b, 3H]");
        AtLeast(gatesHh.Length, 3 * bh, nameof(gatesHh), "[b, 3H]");
        BiasOrEmpty(biasHh.Length, g3, nameof(biasHh), "[3H]");
        AtLeast(hPrev.Length, bh, nameof(hPrev), "[b, H]");
        AtLeast(h.Length, bh, nameof(h), "[b, H]");
        int hh = hidden;
        for (int r = 0; r < batch; r++)
        {
            var gi = gatesIh.Slice(r * g3, g3);
            var gh = gatesHh.Slice(r * g3, g3);
            if (!biasHh.IsEmpty) TensorPrimitives.Add(gh, biasHh, gh);
            var rz = gi[..(2 * hh)];
            TensorPrimitives.Add(rz, gh[..(2 * hh)], rz);
            CellActivations.Sigmoid(rz, rz);
            var n = gi.Slice(2 * hh, hh);
            TensorPrimitives.MultiplyAdd(gi[..hh], gh.Slice(2 * hh, hh), n, n);
            CellActivations.Tanh(n, n);
            var hRow = h.Slice(r * hh, hh);
            TensorPrimitives.Subtract(hPrev.Slice(r * hh, hh), n, hRow);
            TensorPrimitives.MultiplyAdd(gi.Slice(hh, hh), hRow, n, hRow);
        }
    }

    /// <summary>
    /// Backward of <see cref="Forward"/> for one step, from the activated <paramref name="gates"/> r, z, n [b, 3H], the hidden
    /// side <paramref name="gatesHh"/> with bias [b, 3H], h_prev and dL/dh [b, H]:
    /// dn = dh (1 - z) (1 - n^2), dz = dh (h_prev - n) z (1 - z), dr = dn * gh_n * r (1 - r);
    /// <paramref name="dGatesIh"/> = [dr, dz, dn], <paramref name="dGatesHh"/> = [dr, dz, dn * r] (both [b, 3H], overwritten)
    /// and <paramref name="dHPrev"/> = dh * z [b, H] (overwritten; the caller adds dGatesHh W_hh). dHPrev may be dH.
    /// </summary>
    public static void Backward(ReadOnlySpan<float> gates, ReadOnlySpan<float> gatesHh, ReadOnlySpan<float> hPrev, ReadOnlySpan<float> dH,
        int batch, int hidden, Span<float> dGatesIh, Span<float> dGatesHh, Span<float> dHPrev)
    {
        Sizes(batch, hidden);
        int bh = batch * hidden, g3 = 3 * hidden;
        AtLeast(gates.Length, 3 * bh, nameof(gates), "[b, 3H]");
        AtLeast(gatesHh.Length, 3 * bh, nameof(gatesHh), "[b, 3H]");
        AtLeast(hPrev.Length, bh, nameof(hPrev), "[b, H]");
        AtLeast(dH.Length, bh, nameof(dH), "[b, H]");
        AtLeast(dGatesIh.Length, 3 * bh, nameof(dGatesIh), "[b, 3H]");
        AtLeast(dGatesHh.Length, 3 * bh, nameof(dGatesHh), "[b, 3H]");
        AtLeast(dHPrev.Length, bh, nameof(dHPrev), "[b, H]");
        int hh = hidden;
        var one = Vector<float>.One;
        for (int row = 0; row < batch; row++)
        {
            var g = gates.Slice(row * g3, g3);
            var gr = g[..hh];
            var gz = g.Slice(hh, hh);
            var gn = g.Slice(2 * hh, hh);
            var ghn = gatesHh.Slice(row * g3 + 2 * hh, hh);
            var di = dGatesIh.Slice(row * g3, g3);
            var dhh = dGatesHh.Slice(row * g3, g3);
            var hp = hPrev.Slice(row * hh, hh);
            var dh = dH.Slice(row * hh, hh);
            var dhp = dHPrev.Slice(row * hh, hh);
            int j = 0;
            for (int w = Width; j <= hh - w; j += w)
            {
                var r = Load(gr, j);
                var z = Load(gz, j);
                var n = Load(gn, j);
                var dhv = Load(dh, j);
                var dn = dhv * (one - z) * (one - (n * n));
                var dz = dhv * (Load(hp, j) - n) * z * (one - z);
                var dr = dn * Load(ghn, j) * r * (one - r);
                Store(dr, di, j);
                Store(dz, di, hh + j);
                Store(dn, di, 2 * hh + j);
                Store(dr, dhh, j);
                Store(dz, dhh, hh + j);
                Store(dn * r, dhh, 2 * hh + j);
                Store(dhv * z, dhp, j);
            }
            for (; j < hh; j++)
            {
                float r = gr[j], z = gz[j], n = gn[j], dhv = dh[j];
                float dn = dhv * (1f - z) * (1f - (n * n));
                float dz = dhv * (hp[j] - n) * z * (1f - z);
                float dr = dn * ghn[j] * r * (1f - r);
                di[j] = dr;
                di[hh + j] = dz;
                di[2 * hh + j] = dn;
                dhh[j] = dr;
                dhh[hh + j] = dz;
                dhh[2 * hh + j] = dn * r;
                dhp[j] = dhv * z;
            }
        }
    }
}
