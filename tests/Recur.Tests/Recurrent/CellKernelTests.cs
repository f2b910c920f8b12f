// B batch, T time, I input, H hidden, P projection, G gates (LSTM 4H i,f,g,o; GRU 3H r,z,n), L layers, D directions
using Recur.Kernels.Recurrent;
using Recur.Kernels.Recurrent.Reference;

namespace Recur.Tests.Recurrent;

/// <summary>Each cell kernel against its scalar Reference twin: many sizes, odd offsets, in place, special values, short spans.</summary>
public class CellKernelTests
{
    private static readonly int[] Hiddens = [.. Enumerable.Range(0, 34), 63, 64, 65, 129, 300];

    private static float[] Random(int seed, int n, float scale, int offset = 0)
    {
        var rng = new RandomGenerator((ulong)seed);
        var a = new float[n + offset];
        rng.FillUniform(a, -scale, scale);
        return a;
    }

    private static void Near(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double tol, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (float.IsNaN(expected[i])) { Assert.True(float.IsNaN(actual[i]), $"{what}[{i}]: expected NaN but got {actual[i]}"); continue; }
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tol * Math.Max(1, Math.Abs(expected[i])), $"{what}[{i}]: expected {expected[i]:G9} but got {actual[i]:G9}");
        }
    }

    [Fact]
    public void ActivationsMatchReferenceForEveryLengthAndOffset()
    {
        for (int n = 0; n <= 300; n++)
        {
            int offset = n % 4;
            var x = Random(n, n, 8f, offset).AsSpan(offset, n);
            var y = new float[n];
            var r = new float[n];
            CellActivations.Tanh(x, y);
            ReferenceCellMath.Tanh(x, r);
            for (int i = 0; i < n; i++) Assert.True(Math.Abs(y[i] - r[i]) <= 1.2e-7 * Math.Abs(r[i]), $"tanh({x[i]:G9}) = {y[i]:G9}, reference {r[i]:G9}");
            CellActivations.Sigmoid(x, y);
            ReferenceCellMath.Sigmoid(x, r);
            Near(r, y, 1e-6, $"sigmoid n={n}");
            CellActivations.Relu(x, y);
            ReferenceCellMath.Relu(x, r);
            Near(r, y, 0, $"relu n={n}");
        }
    }

    [Fact]
    public void TanhIsExactAtZeroTinyAndSaturatedInputsAndPassesNaN()
    {
        float[] x = [0f, -0f, 1e-30f, -1e-30f, 1e-5f, -3e-4f, 20f, -20f, 1e4f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, float.Epsilon];
        foreach (int pad in new[] { 0, 3, 16 }) // the scalar tail and the vector bodies (3: all in one 16-float vector)
        {
            var input = new float[pad + x.Length];
            x.CopyTo(input, pad);
            var y = new float[input.Length];
            CellActivations.Tanh(input, y);
            for (int i = 0; i < x.Length; i++)
            {
                float expected = (float)Math.Tanh(x[i]);
                Assert.True(expected.Equals(y[pad + i]) || Math.Abs(expected - y[pad + i]) <= 1.2e-7 * Math.Abs(expected), $"tanh({x[i]}) = {y[pad + i]:G9}, expected {expected:G9}");
            }
            Assert.True(float.IsNegative(y[pad + 1]), "tanh(-0) keeps the sign");
        }
        var s = new float[3];
        CellActivations.Sigmoid([float.PositiveInfinity, float.NegativeInfinity, float.NaN], s);
        Assert.Equal([1f, 0f], s[..2]);
        Assert.True(float.IsNaN(s[2]));
    }

    [Fact]
    public void LstmForwardAndBackwardMatchReference()
    {
        foreach (int h in Hiddens)
            foreach (int b in new[] { 1, 3 })
            {
                int off = (h + b) % 3, bh = b * h;
                var gates = Random(h * 7 + b, 4 * bh, 3f, off).AsSpan(off).ToArray();
                var cPrev = Random(h * 11 + b, bh, 2f);
                var (gA, cA, hA) = (gates.ToArray(), new float[bh], new float[bh]);
                var (gR, cR, hR) = (gates.ToArray(), new float[bh], new float[bh]);
                LstmCellKernel.Forward(gA, cPrev, b, h, cA, hA);
                ReferenceLstmCell.Forward(gR, cPrev, b, h, cR, hR);
                Near(gR, gA, 1e-6, "gates");
                Near(cR, cA, 1e-6, "c");
                Near(hR, hA, 1e-6, "h");

                var dH = Random(h * 13 + b, bh, 1f);
                var dCA = Random(h * 17 + b, bh, 1f);
                var dCR = dCA.ToArray();
                var (dGA, dGR) = (new float[4 * bh], new float[4 * bh]);
                LstmCellKernel.Backward(gR, cPrev, cR, dH, b, h, dCA, dGA);
                ReferenceLstmCell.Backward(gR, cPrev, cR, dH, b, h, dCR, dGR);
                Near(dGR, dGA, 1e-5, "dGates");
                Near(dCR, dCA, 1e-5, "dC");

                // c in place over c_prev gives the same values.
                var cInPlace = cPrev.ToArray();
                var hInPlace = new float[bh];
                LstmCellKernel.Forward(gates.ToArray(), cInPlace, b, h, cInPlace, hInPlace);
                Near(cA, cInPlace, 0, "c in place");
                Near(hA, hInPlace, 0, "h with c in place");

                // A bias row added by the kernel: as the reference, and bitwise as adding it to every row beforehand.
                var bias = Random(h * 31 + b, 4 * h, 1f);
                var (gB, cB, hB) = (gates.ToArray(), new float[bh], new float[bh]);
                var (gBR, cBR, hBR) = (gates.ToArray(), new float[bh], new float[bh]);
                LstmCellKernel.Forward(gB, bias, cPrev, b, h, cB, hB);
                ReferenceLstmCell.Forward(gBR, bias, cPrev, b, h, cBR, hBR);
                Near(gBR, gB, 1e-6, "gates with bias");
                Near(cBR, cB, 1e-6, "c with bias");
                Near(hBR, hB, 1e-6, "h with bias");
                var (gP, cP, hP) = (gates.ToArray(), new float[bh], new float[bh]);
                for (int i = 0; i < gP.Length; i++) gP[i] += bias[i % (4 * h)];
                LstmCellKernel.Forward(gP, cPrev, b, h, cP, hP);
                Near(gP, gB, 0, "gates, bias added before");
                Near(hP, hB, 0, "h, bias added before");
                if (bh > 0) Assert.NotEqual(hA, hB); // the bias mattered
            }
    }

    [Fact]
    public void GruForwardAndBackwardMatchReference()
    {
        foreach (int h in Hiddens)
            foreach (int b in new[] { 1, 3 })
            {
                int bh = b * h;
                var gi = Random(h * 5 + b, 3 * bh, 3f);
                var gh = Random(h * 19 + b, 3 * bh, 3f);
                var bias = (h + b) % 2 == 0 ? Random(h, 3 * h, 1f) : [];
                var hPrev = Random(h * 23 + b, bh, 1f);
                var (giA, ghA, hA) = (gi.ToArray(), gh.ToArray(), new float[bh]);
                var (giR, ghR, hR) = (gi.ToArray(), gh.ToArray(), new float[bh]);
                GruCellKernel.Forward(giA, ghA, bias, hPrev, b, h, hA);
                ReferenceGruCell.Forward(giR, ghR, bias, hPrev, b, h, hR);
                Near(giR, giA, 1e-6, "gates");
                Near(ghR, ghA, 1e-6, "gates hh");
                Near(hR, hA, 1e-6, "h");

                var hInPlace = hPrev.ToArray();
                GruCellKernel.Forward(gi.ToArray(), gh.ToArray(), bias, hInPlace, b, h, hInPlace);
                Near(hA, hInPlace, 0, "h in place");

                // The input-side bias added by the kernel: as the reference, and bitwise as adding it to gi beforehand.
                var biasIh = Random(h * 37 + b, 3 * h, 1f);
                var (giB, ghB, hB) = (gi.ToArray(), gh.ToArray(), new float[bh]);
                var (giBR, ghBR, hBR) = (gi.ToArray(), gh.ToArray(), new float[bh]);
                GruCellKernel.Forward(giB, biasIh, ghB, bias, hPrev, b, h, hB);
                ReferenceGruCell.Forward(giBR, biasIh, ghBR, bias, hPrev, b, h, hBR);
                Near(giBR, giB, 1e-6, "gates with b_ih");
                Near(hBR, hB, 1e-6, "h with b_ih");
                var (giP, ghP, hP) = (gi.ToArray(), gh.ToArray(), new float[bh]);
                for (int i = 0; i < giP.Length; i++) giP[i] += biasIh[i % (3 * h)];
                GruCellKernel.Forward(giP, ghP, bias, hPrev, b, h, hP);
                Near(giP, giB, 0, "gates, b_ih added before");
                Near(hP, hB, 0, "h, b_ih added before");
                if (bh > 0) Assert.NotEqual(hA, hB); // the bias mattered

                var dH = Random(h * 29 + b, bh, 1f);
                var (diA, dhhA, dpA) = (new float[3 * bh], new float[3 * bh], new float[bh]);
                var (diR, dhhR, dpR) = (new float[3 * bh], new float[3 * bh], new float[bh]);
                GruCellKernel.Backward(giR, ghR, hPrev, dH, b, h, diA, dhhA, dpA);
                ReferenceGruCell.Backward(giR, ghR, hPrev, dH, b, h, diR, dhhR, dpR);
                Near(diR, diA, 1e-5, "dGatesIh");
                Near(dhhR, dhhA, 1e-5, "dGatesHh");
                Near(dpR, dpA, 1e-6, "dHPrev");
            }
    }

    [Fact]
    public void RnnForwardAndBackwardMatchReferenceInPlaceToo()
    {
        for (int n = 0; n <= 300; n++)
        {
            var a = Random(n, n, 3f);
            var dH = Random(n + 1000, n, 1f);
            foreach (bool relu in new[] { false, true })
            {
                var (h, hR) = (new float[n], new float[n]);
                if (relu) { RnnCellKernel.ForwardRelu(a, h); ReferenceRnnCell.ForwardRelu(a, hR); }
                else { RnnCellKernel.ForwardTanh(a, h); ReferenceRnnCell.ForwardTanh(a, hR); }
                Near(hR, h, 1e-6, "h");
                var (d, dR, dInPlace) = (new float[n], new float[n], dH.ToArray());
                if (relu) { RnnCellKernel.BackwardRelu(hR, dH, d); ReferenceRnnCell.BackwardRelu(hR, dH, dR); RnnCellKernel.BackwardRelu(hR, dInPlace, dInPlace); }
                else { RnnCellKernel.BackwardTanh(hR, dH, d); ReferenceRnnCell.BackwardTanh(hR, dH, dR); RnnCellKernel.BackwardTanh(hR, dInPlace, dInPlace); }
                Near(dR, d, 1e-6, "dA");
                Near(d, dInPlace, 0, "dA in place");
            }
        }
    }

    [Fact]
    public void SaturatedAndNonFiniteInputsFollowTheReference()
    {
        const int h = 9, b = 2, bh = b * h;
        var gates = new float[4 * bh];
        float[] specials = [1e4f, -1e4f, 80f, -80f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, 0f];
        for (int i = 0; i < gates.Length; i++) gates[i] = specials[i % specials.Length];
        var cPrev = Random(3, bh, 2f);
        var (gA, cA, hA, gR, cR, hR) = (gates.ToArray(), new float[bh], new float[bh], gates.ToArray(), new float[bh], new float[bh]);
        LstmCellKernel.Forward(gA, cPrev, b, h, cA, hA);
        ReferenceLstmCell.Forward(gR, cPrev, b, h, cR, hR);
        Near(gR, gA, 1e-6, "gates");
        Near(cR, cA, 1e-6, "c");
        Near(hR, hA, 1e-6, "h");
    }

    [Fact]
    public void TooShortSpansThrowArgumentException()
    {
        var ok = new float[64];
        var shortSpan = new float[3];
        Assert.Throws<ArgumentException>(() => CellActivations.Tanh(ok, shortSpan));
        Assert.Throws<ArgumentException>(() => RnnCellKernel.BackwardTanh(ok, shortSpan, ok));
        Assert.Throws<ArgumentException>(() => LstmCellKernel.Forward(ok, ok, 2, 4, ok, shortSpan));
        Assert.Throws<ArgumentException>(() => LstmCellKernel.Backward(ok, ok, ok, ok, 2, 4, shortSpan, ok));
        Assert.Throws<ArgumentException>(() => GruCellKernel.Forward(ok, ok, shortSpan, ok, 2, 4, ok));
        Assert.Throws<ArgumentException>(() => LstmCellKernel.Forward(ok, shortSpan, ok, 2, 4, ok, ok));
        Assert.Throws<ArgumentException>(() => GruCellKernel.Forward(ok, shortSpan, ok, default, ok, 2, 4, ok));
        Assert.Throws<ArgumentException>(() => GruCellKernel.Backward(ok, ok, ok, ok, 2, 4, ok, ok, shortSpan));
        Assert.Throws<ArgumentException>(() => RowKernels.FillRows(ok.AsSpan(0, 8), 9, ok));
        Assert.Throws<ArgumentOutOfRangeException>(() => LstmCellKernel.Forward(ok, ok, -1, 4, ok, ok));
    }

    [Fact]
    public void RowKernelsMatchReference()
    {
        foreach (int n in new[] { 0, 1, 7, 8, 33 })
            foreach (int rows in new[] { 0, 1, 5 })
            {
                var row = Random(n, n, 1f);
                var (m, mR) = (new float[rows * n], new float[rows * n]);
                RowKernels.FillRows(row, rows, m);
                ReferenceRowKernels.FillRows(row, rows, mR);
                Near(mR, m, 0, "fill");
                var matrix = Random(n + 7, rows * n, 1f);
                var (s, sR) = (Random(3, n, 1f), Random(3, n, 1f));
                RowKernels.AddColumnSums(matrix, rows, s);
                ReferenceRowKernels.AddColumnSums(matrix, rows, sR);
                Near(sR, s, 1e-6, "sums");
            }
    }
}
