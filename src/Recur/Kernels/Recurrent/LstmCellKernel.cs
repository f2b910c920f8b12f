// B batch, T time, I input, H hidden, P projection, G gates (LSTM 4H i,f,g,o; GRU 3H r,z,n), L layers, D directions
using System.Numerics;
using System.Numerics.Tensors;
using static Recur.Kernels.Recurrent.SpanChecks;

namespace Recur.Kernels.Recurrent;

/// <summary>
/// LSTM cell, pointwise part, for b rows. Each row of <c>gates</c> [b, 4H] holds PyTorch's gate order i, f, g, o.
/// </summary>
public static class LstmCellKernel
{
    /// <summary>
    /// From the preactivations a = x W_ih^T + b_ih + h_prev W_hh^T + b_hh (in <paramref name="gates"/>, [b, 4H]):
    /// i = sigmoid(a_i), f = sigmoid(a_f), g = tanh(a_g), o = sigmoid(a_o) (written back into <paramref name="gates"/>),
    /// c = f * c_prev + i * g, h = o * tanh(c). <paramref name="c"/> may be <paramref name="cPrev"/> (in place);
    /// <paramref name="h"/> must not overlap the other arguments.
    /// </summary>
    public static void Forward(Span<float> gates, ReadOnlySpan<float> cPrev, int batch, int hidden, Span<float> c, Span<float> h)
    {
        Sizes(batch, hidden);
        int bh = batch * hidden;
        AtLeast(gates.Length, 4 * bh, nameof(gates), "[b, 4H]");
        AtLeast(cPrev.Length, bh, nameof(cPrev), "[b, H]");
        AtLeast(c.Length, bh, nameof(c), "[b, H]");
        AtLeast(h.Length, bh, nameof(h), "[b, H]");
        int hh = hidden;
        for (int r = 0; r < batch; r++)
        {
            var g = gates.Slice(r * 4 * hh, 4 * hh); // [4H] i, f, g, o
            var ifGates = g[..(2 * hh)];
            var cellGate = g.Slice(2 * hh, hh);
            var outGate = g.Slice(3 * hh, hh);
            CellActivations.Sigmoid(ifGates, ifGates);
            CellActivations.Tanh(cellGate, cellGate);
            CellActivations.Sigmoid(outGate, outGate);
            var cRow = c.Slice(r * hh, hh);
            var hRow = h.Slice(r * hh, hh);
            TensorPrimitives.Multiply(g.Slice(hh, hh), cPrev.Slice(r * hh, hh), cRow);
            TensorPrimitives.MultiplyAdd(g[..hh], cellGate, cRow, cRow);
            CellActivations.Tanh(cRow, hRow);
            TensorPrimitives.Multiply(hRow, outGate, hRow);
        }
    }

    /// <summary>
    /// Backward of <see cref="Forward"/> for one step, given the activated <paramref name="gates"/> [b, 4H], c_prev and c
    /// [b, H], dL/dh [b, H] and, in <paramref name="dC"/>, dL/dc from later steps [b, H]:
    /// with s = tanh(c) and dc = dC + dh * o * (1 - s^2):
    /// da_i = dc * g * i (1 - i), da_f = dc * c_prev * f (1 - f), da_g = dc * i * (1 - g^2), da_o = dh * s * o (1 - o)
    /// into <paramref name="dGates"/> [b, 4H] (overwritten), and dL/dc_prev = dc * f into <paramref name="dC"/> (in place).
    /// <paramref name="dGates"/> must not overlap the inputs.
    /// </summary>
    public static void Backward(ReadOnlySpan<float> gates, ReadOnlySpan<float> cPrev, ReadOnlySpan<float> c, ReadOnlySpan<float> dH,
        int batch, int hidden, Span<float> dC, Span<float> dGates)
    {
        Sizes(batch, hidden);
        int bh = batch * hidden;
        AtLeast(gates.Length, 4 * bh, nameof(gates), "[b, 4H]");
        AtLeast(cPrev.Length, bh, nameof(cPrev), "[b, H]");
        AtLeast(c.Length, bh, nameof(c), "[b, H]");
        AtLeast(dH.Length, bh, nameof(dH), "[b, H]");
        AtLeast(dC.Length, bh, nameof(dC), "[b, H]");
        AtLeast(dGates.Length, 4 * bh, nameof(dGates), "[b, 4H]");
        int hh = hidden;
        var one = Vector<float>.One;
        for (int r = 0; r < batch; r++)
        {
            var g = gates.Slice(r * 4 * hh, 4 * hh);
            var dg = dGates.Slice(r * 4 * hh, 4 * hh);
            var gi = g[..hh];
            var gf = g.Slice(hh, hh);
            var gg = g.Slice(2 * hh, hh);
            var go = g.Slice(3 * hh, hh);
            var di = dg[..hh];
            var df = dg.Slice(hh, hh);
            var dgg = dg.Slice(2 * hh, hh);
            var dO = dg.Slice(3 * hh, hh);
            var cp = cPrev.Slice(r * hh, hh);
            var dh = dH.Slice(r * hh, hh);
            var dc = dC.Slice(r * hh, hh);
            CellActivations.Tanh(c.Slice(r * hh, hh), dO); // s = tanh(c), read back element by element below
            int j = 0;
            for (int w = Width; j <= hh - w; j += w)
            {
                var s = Load(dO, j);
                var i = Load(gi, j);
                var f = Load(gf, j);
                var gv = Load(gg, j);
                var o = Load(go, j);
                var dhv = Load(dh, j);
                var dct = Load(dc, j) + (dhv * o * (one - (s * s)));
                Store(dhv * s * o * (one - o), dO, j);
                Store(dct * gv * i * (one - i), di, j);
                Store(dct * Load(cp, j) * f * (one - f), df, j);
                Store(dct * i * (one - (gv * gv)), dgg, j);
                Store(dct * f, dc, j);
            }
            for (; j < hh; j++)
            {
                float s = dO[j], i = gi[j], f = gf[j], gv = gg[j], o = go[j], dhv = dh[j];
                float dct = dc[j] + (dhv * o * (1f - (s * s)));
                dO[j] = dhv * s * o * (1f - o);
                di[j] = dct * gv * i * (1f - i);
                df[j] = dct * cp[j] * f * (1f - f);
                dgg[j] = dct * i * (1f - (gv * gv));
                dc[j] = dct * f;
            }
        }
    }
}
