// B batch, T time, I input, H hidden, P projection, G gates (LSTM 4H i,f,g,o; GRU 3H r,z,n), L layers, D directions
using System.Runtime.CompilerServices;
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
        => Forward(gatesIh, default, gatesHh, biasHh, hPrev, batch, hidden, h);

    /// <summary>
    /// <see cref="Forward(Span{float}, Span{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, int, int, Span{float})"/>
    /// with <paramref name="biasIh"/> [3H] (b_ih; empty for none) added to the input side of every row first, so a
    /// layer can leave the bias out of its input projection. The input side is then gi = x W_ih^T + b_ih as before.
    /// </summary>
    public static unsafe void Forward(Span<float> gatesIh, ReadOnlySpan<float> biasIh, Span<float> gatesHh, ReadOnlySpan<float> biasHh,
        ReadOnlySpan<float> hPrev, int batch, int hidden, Span<float> h)
    {
        Sizes(batch, hidden);
        int bh = batch * hidden, g3 = 3 * hidden;
        AtLeast(gatesIh.Length, 3 * bh, nameof(gatesIh), "[b, 3H]");
        AtLeast(gatesHh.Length, 3 * bh, nameof(gatesHh), "[b, 3H]");
        BiasOrEmpty(biasIh.Length, g3, nameof(biasIh), "[3H]");
        BiasOrEmpty(biasHh.Length, g3, nameof(biasHh), "[3H]");
        AtLeast(hPrev.Length, bh, nameof(hPrev), "[b, H]");
        AtLeast(h.Length, bh, nameof(h), "[b, H]");
        fixed (float* pgi = gatesIh, pbi = biasIh, pgh = gatesHh, pb = biasHh, php = hPrev, ph = h)
        {
            var kernel = new ForwardLanes { Hidden = (nuint)hidden, BiasIh = biasIh.IsEmpty ? null : pbi, Bias = biasHh.IsEmpty ? null : pb };
            for (int r = 0; r < batch; r++)
            {
                long row = r * (long)hidden;
                kernel.GatesIh = pgi + (3 * row);
                kernel.GatesHh = pgh + (3 * row);
                kernel.HPrev = php + row;
                kernel.H = ph + row;
                LaneLoop.Run(ref kernel, (nuint)hidden);
            }
        }
    }

    /// <summary>
    /// Backward of <see cref="Forward(Span{float}, ReadOnlySpan{float}, Span{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, int, int, Span{float})"/> for one step, from the activated <paramref name="gates"/> r, z, n [b, 3H], the hidden
    /// side <paramref name="gatesHh"/> with bias [b, 3H], h_prev and dL/dh [b, H]:
    /// dn = dh (1 - z) (1 - n^2), dz = dh (h_prev - n) z (1 - z), dr = dn * gh_n * r (1 - r);
    /// <paramref name="dGatesIh"/> = [dr, dz, dn], <paramref name="dGatesHh"/> = [dr, dz, dn * r] (both [b, 3H], overwritten)
    /// and <paramref name="dHPrev"/> = dh * z [b, H] (overwritten; the caller adds dGatesHh W_hh). dHPrev may be dH.
    /// </summary>
    public static unsafe void Backward(ReadOnlySpan<float> gates, ReadOnlySpan<float> gatesHh, ReadOnlySpan<float> hPrev, ReadOnlySpan<float> dH,
        int batch, int hidden, Span<float> dGatesIh, Span<float> dGatesHh, Span<float> dHPrev)
    {
        Sizes(batch, hidden);
        int bh = batch * hidden;
        AtLeast(gates.Length, 3 * bh, nameof(gates), "[b, 3H]");
        AtLeast(gatesHh.Length, 3 * bh, nameof(gatesHh), "[b, 3H]");
        AtLeast(hPrev.Length, bh, nameof(hPrev), "[b, H]");
        AtLeast(dH.Length, bh, nameof(dH), "[b, H]");
        AtLeast(dGatesIh.Length, 3 * bh, nameof(dGatesIh), "[b, 3H]");
        AtLeast(dGatesHh.Length, 3 * bh, nameof(dGatesHh), "[b, 3H]");
        AtLeast(dHPrev.Length, bh, nameof(dHPrev), "[b, H]");
        fixed (float* pg = gates, pgh = gatesHh, php = hPrev, pdh = dH, pdi = dGatesIh, pdhh = dGatesHh, pdhp = dHPrev)
        {
            var kernel = new BackwardLanes { Hidden = (nuint)hidden };
            for (int r = 0; r < batch; r++)
            {
                long row = r * (long)hidden;
                kernel.Gates = pg + (3 * row);
                kernel.GatesHh = pgh + (3 * row);
                kernel.DGatesIh = pdi + (3 * row);
                kernel.DGatesHh = pdhh + (3 * row);
                kernel.HPrev = php + row;
                kernel.DH = pdh + row;
                kernel.DHPrev = pdhp + row;
                LaneLoop.Run(ref kernel, (nuint)hidden);
            }
        }
    }

    /// <summary>One row of <see cref="Forward(Span{float}, ReadOnlySpan{float}, Span{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, int, int, Span{float})"/>, in one pass.</summary>
    private unsafe struct ForwardLanes : ILaneKernel
    {
        public float* GatesIh, GatesHh, HPrev, H; // [3H], [3H], [H], [H] of one row
        public float* BiasIh;                     // [3H] b_ih, or null
        public float* Bias;                       // [3H] b_hh, or null
        public nuint Hidden;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly void Run<TL, TV>(nuint j)
            where TL : struct, ILanes<TV>
            where TV : struct
        {
            ref float gi = ref *GatesIh;
            ref float gh = ref *GatesHh;
            nuint hh = Hidden;
            var ghr = LaneRows.AddRow<TL, TV>(TL.Load(ref gh, j), Bias, j);
            var ghz = LaneRows.AddRow<TL, TV>(TL.Load(ref gh, j + hh), Bias, j + hh);
            var ghn = LaneRows.AddRow<TL, TV>(TL.Load(ref gh, j + (2 * hh)), Bias, j + (2 * hh));
            if (Bias != null)
            {
                TL.Store(ghr, ref gh, j);
                TL.Store(ghz, ref gh, j + hh);
                TL.Store(ghn, ref gh, j + (2 * hh));
            }

            var r = ActivationMath.Sigmoid<TL, TV>(TL.Add(LaneRows.AddRow<TL, TV>(TL.Load(ref gi, j), BiasIh, j), ghr));
            var z = ActivationMath.Sigmoid<TL, TV>(TL.Add(LaneRows.AddRow<TL, TV>(TL.Load(ref gi, j + hh), BiasIh, j + hh), ghz));
            var n = ActivationMath.Tanh<TL, TV>(TL.Fma(r, ghn, LaneRows.AddRow<TL, TV>(TL.Load(ref gi, j + (2 * hh)), BiasIh, j + (2 * hh))));
            var hp = TL.Load(ref *HPrev, j);
            TL.Store(r, ref gi, j);
            TL.Store(z, ref gi, j + hh);
            TL.Store(n, ref gi, j + (2 * hh));
            TL.Store(TL.Fma(z, TL.Subtract(hp, n), n), ref *H, j);
        }
    }

    /// <summary>One row of <see cref="Backward"/>, in one pass.</summary>
    private unsafe struct BackwardLanes : ILaneKernel
    {
        public float* Gates, GatesHh, DGatesIh, DGatesHh, HPrev, DH, DHPrev; // [3H] x 4, then [H] x 3, of one row
        public nuint Hidden;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly void Run<TL, TV>(nuint j)
            where TL : struct, ILanes<TV>
            where TV : struct
        {
            ref float g = ref *Gates;
            ref float di = ref *DGatesIh;
            ref float dhh = ref *DGatesHh;
            nuint hh = Hidden;
            var one = TL.Create(1f);
            var r = TL.Load(ref g, j);
            var z = TL.Load(ref g, j + hh);
            var n = TL.Load(ref g, j + (2 * hh));
            var dh = TL.Load(ref *DH, j);
            var dn = TL.Multiply(TL.Multiply(dh, TL.Subtract(one, z)), TL.Subtract(one, TL.Multiply(n, n)));
            var dz = TL.Multiply(TL.Multiply(dh, TL.Subtract(TL.Load(ref *HPrev, j), n)), TL.Multiply(z, TL.Subtract(one, z)));
            var dr = TL.Multiply(TL.Multiply(dn, TL.Load(ref *GatesHh, j + (2 * hh))), TL.Multiply(r, TL.Subtract(one, r)));
            TL.Store(dr, ref di, j);
            TL.Store(dz, ref di, j + hh);
            TL.Store(dn, ref di, j + (2 * hh));
            TL.Store(dr, ref dhh, j);
            TL.Store(dz, ref dhh, j + hh);
            TL.Store(TL.Multiply(dn, r), ref dhh, j + (2 * hh));
            TL.Store(TL.Multiply(dh, z), ref *DHPrev, j);
        }
    }
}
