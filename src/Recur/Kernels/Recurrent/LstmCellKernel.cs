// B batch, T time, I input, H hidden, P projection, G gates (LSTM 4H i,f,g,o; GRU 3H r,z,n), L layers, D directions
using System.Runtime.CompilerServices;
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
        => Forward(gates, default, cPrev, batch, hidden, c, h);

    /// <summary>
    /// <see cref="Forward(Span{float}, ReadOnlySpan{float}, int, int, Span{float}, Span{float})"/> with
    /// <paramref name="bias"/> [4H] (b_ih + b_hh; empty for none) added to every row's preactivations first, so a
    /// layer can leave the bias out of its input projection instead of broadcasting it over every row beforehand.
    /// </summary>
    public static unsafe void Forward(Span<float> gates, ReadOnlySpan<float> bias, ReadOnlySpan<float> cPrev, int batch, int hidden, Span<float> c, Span<float> h)
    {
        Sizes(batch, hidden);
        int bh = batch * hidden;
        AtLeast(gates.Length, 4 * bh, nameof(gates), "[b, 4H]");
        BiasOrEmpty(bias.Length, 4 * hidden, nameof(bias), "[4H]");
        AtLeast(cPrev.Length, bh, nameof(cPrev), "[b, H]");
        AtLeast(c.Length, bh, nameof(c), "[b, H]");
        AtLeast(h.Length, bh, nameof(h), "[b, H]");
        fixed (float* pg = gates, pb = bias, pcp = cPrev, pc = c, ph = h)
        {
            var kernel = new ForwardLanes { Hidden = (nuint)hidden, Bias = bias.IsEmpty ? null : pb };
            for (int r = 0; r < batch; r++)
            {
                kernel.Gates = pg + (r * 4L * hidden);
                kernel.CPrev = pcp + (r * (long)hidden);
                kernel.C = pc + (r * (long)hidden);
                kernel.H = ph + (r * (long)hidden);
                LaneLoop.Run(ref kernel, (nuint)hidden);
            }
        }
    }

    /// <summary>
    /// Backward of <see cref="Forward(Span{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, int, int, Span{float}, Span{float})"/> for one step, given the activated <paramref name="gates"/> [b, 4H], c_prev and c
    /// [b, H], dL/dh [b, H] and, in <paramref name="dC"/>, dL/dc from later steps [b, H]:
    /// with s = tanh(c) and dc = dC + dh * o * (1 - s^2):
    /// da_i = dc * g * i (1 - i), da_f = dc * c_prev * f (1 - f), da_g = dc * i * (1 - g^2), da_o = dh * s * o (1 - o)
    /// into <paramref name="dGates"/> [b, 4H] (overwritten), and dL/dc_prev = dc * f into <paramref name="dC"/> (in place).
    /// <paramref name="dGates"/> must not overlap the inputs.
    /// </summary>
    public static unsafe void Backward(ReadOnlySpan<float> gates, ReadOnlySpan<float> cPrev, ReadOnlySpan<float> c, ReadOnlySpan<float> dH,
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
        fixed (float* pg = gates, pcp = cPrev, pc = c, pdh = dH, pdc = dC, pdg = dGates)
        {
            var kernel = new BackwardLanes { Hidden = (nuint)hidden };
            for (int r = 0; r < batch; r++)
            {
                long row = r * (long)hidden;
                kernel.Gates = pg + (4 * row);
                kernel.DGates = pdg + (4 * row);
                kernel.CPrev = pcp + row;
                kernel.C = pc + row;
                kernel.DH = pdh + row;
                kernel.DC = pdc + row;
                LaneLoop.Run(ref kernel, (nuint)hidden);
            }
        }
    }

    /// <summary>One row of <see cref="Forward(Span{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, int, int, Span{float}, Span{float})"/>, in one pass: four gate loads, the activations, c and h.</summary>
    private unsafe struct ForwardLanes : ILaneKernel
    {
        public float* Gates, CPrev, C, H; // [4H], [H], [H], [H] of one row
        public float* Bias;               // [4H] or null
        public nuint Hidden;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly void Run<TL, TV>(nuint j)
            where TL : struct, ILanes<TV>
            where TV : struct
        {
            ref float g = ref *Gates;
            nuint hh = Hidden;
            var i = ActivationMath.Sigmoid<TL, TV>(LaneRows.AddRow<TL, TV>(TL.Load(ref g, j), Bias, j));
            var f = ActivationMath.Sigmoid<TL, TV>(LaneRows.AddRow<TL, TV>(TL.Load(ref g, j + hh), Bias, j + hh));
            var gg = ActivationMath.Tanh<TL, TV>(LaneRows.AddRow<TL, TV>(TL.Load(ref g, j + (2 * hh)), Bias, j + (2 * hh)));
            var o = ActivationMath.Sigmoid<TL, TV>(LaneRows.AddRow<TL, TV>(TL.Load(ref g, j + (3 * hh)), Bias, j + (3 * hh)));
            var cNew = TL.Fma(f, TL.Load(ref *CPrev, j), TL.Multiply(i, gg));
            TL.Store(i, ref g, j);
            TL.Store(f, ref g, j + hh);
            TL.Store(gg, ref g, j + (2 * hh));
            TL.Store(o, ref g, j + (3 * hh));
            TL.Store(cNew, ref *C, j);
            TL.Store(TL.Multiply(o, ActivationMath.Tanh<TL, TV>(cNew)), ref *H, j);
        }
    }

    /// <summary>One row of <see cref="Backward"/>, in one pass.</summary>
    private unsafe struct BackwardLanes : ILaneKernel
    {
        public float* Gates, DGates, CPrev, C, DH, DC; // [4H], [4H], then [H] each, of one row
        public nuint Hidden;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly void Run<TL, TV>(nuint j)
            where TL : struct, ILanes<TV>
            where TV : struct
        {
            ref float g = ref *Gates;
            ref float dg = ref *DGates;
            nuint hh = Hidden;
            var one = TL.Create(1f);
            var i = TL.Load(ref g, j);
            var f = TL.Load(ref g, j + hh);
            var gg = TL.Load(ref g, j + (2 * hh));
            var o = TL.Load(ref g, j + (3 * hh));
            var s = ActivationMath.Tanh<TL, TV>(TL.Load(ref *C, j));
            var dh = TL.Load(ref *DH, j);
            var dc = TL.Fma(TL.Multiply(dh, o), TL.Subtract(one, TL.Multiply(s, s)), TL.Load(ref *DC, j));
            TL.Store(TL.Multiply(TL.Multiply(dc, gg), TL.Multiply(i, TL.Subtract(one, i))), ref dg, j);
            TL.Store(TL.Multiply(TL.Multiply(dc, TL.Load(ref *CPrev, j)), TL.Multiply(f, TL.Subtract(one, f))), ref dg, j + hh);
            TL.Store(TL.Multiply(TL.Multiply(dc, i), TL.Subtract(one, TL.Multiply(gg, gg))), ref dg, j + (2 * hh));
            TL.Store(TL.Multiply(TL.Multiply(dh, s), TL.Multiply(o, TL.Subtract(one, o))), ref dg, j + (3 * hh));
            TL.Store(TL.Multiply(dc, f), ref *DC, j);
        }
    }
}
