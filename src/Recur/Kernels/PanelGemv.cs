// N output columns (rows of the stored W), K inner dimension, Pw panel width
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Recur.Kernels;

/// <summary>
/// y = x W^T for one input row x [K] (or a few rows) and W stored [N, K]: a streaming recurrent step over a few
/// streams. The dot-product form reads W in place but ends every column with a horizontal sum; here W^T is packed
/// once into column panels
/// of <see cref="PanelWidth"/> = 8 vectors ([panel][K][Pw], zero-padded past N), and a product broadcasts x[k] and
/// runs 8 independent FMA chains down one contiguous stream per panel: one load per FMA, no horizontal sums.
/// Each y[j] is one FMA chain over k = 0 .. K-1 in order, whatever range of panels a call takes, so splitting the
/// panels across threads gives bitwise the same values.
/// </summary>
public static class PanelGemv
{
    private const int VectorsPerPanel = 8;

    /// <summary>Columns per panel: 8 vectors (128 floats with AVX-512, 64 with AVX2, 32 otherwise).</summary>
    public static int PanelWidth { get; } =
        VectorsPerPanel * (Vector512.IsHardwareAccelerated ? 16 : Vector256.IsHardwareAccelerated ? 8 : 4);

    /// <summary>Panels that hold <paramref name="n"/> columns.</summary>
    public static int Panels(int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        return (n + PanelWidth - 1) / PanelWidth;
    }

    /// <summary>Floats a packed W of <paramref name="n"/> columns and <paramref name="k"/> inner rows occupies.</summary>
    public static int PackedLength(int n, int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        return checked(Panels(n) * PanelWidth * k);
    }

    /// <summary>
    /// Packs W stored [n, ldw] (its first <paramref name="rows"/> columns) as rows [k0, k0 + rows) of the packed
    /// inner dimension of length <paramref name="k"/>: two matrices packed at k0 = 0 and k0 = K1 multiply the
    /// concatenated input [x1 | x2] in one product. Columns past n are zero.
    /// </summary>
    public static void Pack(ReadOnlySpan<float> w, int n, int rows, int ldw, Span<float> packed, int k, int k0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        if (k0 < 0 || k0 > k - rows)
            throw new ArgumentException($"Packed rows [{k0}, {k0 + rows}) do not fit the inner dimension K = {k}.", nameof(k0));
        if (ldw < rows)
            throw new ArgumentException($"ldw = {ldw} is less than the {rows} columns packed.", nameof(ldw));
        if (n > 0 && rows > 0 && w.Length < ((n - 1) * ldw) + rows)
            throw new ArgumentException($"W has {w.Length} elements but [{n} x {rows}] with ldw = {ldw} needs {((n - 1) * ldw) + rows}.", nameof(w));
        int length = PackedLength(n, k);
        if (packed.Length < length)
            throw new ArgumentException($"packed has {packed.Length} elements but needs {length}.", nameof(packed));
        int pw = PanelWidth;
        for (int q = 0; q < Panels(n); q++)
        {
            var panel = packed.Slice(q * k * pw, k * pw);
            int cols = Math.Min(pw, n - (q * pw));
            for (int c = 0; c < pw; c++)
            {
                if (c >= cols)
                {
                    for (int kk = 0; kk < rows; kk++) panel[((k0 + kk) * pw) + c] = 0f;
                    continue;
                }
                var row = w.Slice(((q * pw) + c) * ldw, rows);
                for (int kk = 0; kk < rows; kk++) panel[((k0 + kk) * pw) + c] = row[kk];
            }
        }
    }

    /// <summary>
    /// y[j] = Σ_k x[k] W[j, k] for the columns of panels [panel0, panel0 + count), j &lt; n (y is overwritten there).
    /// </summary>
    public static void Multiply(ReadOnlySpan<float> packed, int n, int k, ReadOnlySpan<float> x, Span<float> y, int panel0, int count)
        => Multiply(packed, n, k, 1, x, k, y, n, panel0, count);

    /// <summary>
    /// Y[i, j] = Σ_k X[i, k] W[j, k] for <paramref name="m"/> rows of X (stored [m, ldx]) and the columns of panels
    /// [panel0, panel0 + count), j &lt; n, into Y stored [m, ldy] (overwritten there). Rows go two at a time, so a
    /// pair reads each panel once; every element is the same FMA chain as with one row.
    /// </summary>
    public static unsafe void Multiply(ReadOnlySpan<float> packed, int n, int k, int m, ReadOnlySpan<float> x, int ldx,
        Span<float> y, int ldy, int panel0, int count)
    {
        int panels = Panels(n);
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        if (panel0 < 0 || count < 0 || panel0 > panels - count)
            throw new ArgumentException($"Panels [{panel0}, {panel0 + count}) are outside the {panels} panels of N = {n}.", nameof(panel0));
        if (packed.Length < PackedLength(n, k))
            throw new ArgumentException($"packed has {packed.Length} elements but needs {PackedLength(n, k)}.", nameof(packed));
        if (ldx < k || (m > 0 && x.Length < ((m - 1) * ldx) + k))
            throw new ArgumentException($"x has {x.Length} elements but [{m} x {k}] with ldx = {ldx} needs {Math.Max(0, ((m - 1) * ldx) + k)}.", nameof(x));
        if (ldy < n || (m > 0 && y.Length < ((m - 1) * ldy) + n))
            throw new ArgumentException($"y has {y.Length} elements but [{m} x {n}] with ldy = {ldy} needs {Math.Max(0, ((m - 1) * ldy) + n)}.", nameof(y));
        if (count == 0 || m == 0) return;
        fixed (float* pp = packed, px = x, py = y)
        {
            if (Vector512.IsHardwareAccelerated) Panels<SimdVector512, Vector512<float>>(pp, n, k, m, px, ldx, py, ldy, panel0, count);
            else if (Vector256.IsHardwareAccelerated) Panels<SimdVector256, Vector256<float>>(pp, n, k, m, px, ldx, py, ldy, panel0, count);
            else Panels<SimdVector128, Vector128<float>>(pp, n, k, m, px, ldx, py, ldy, panel0, count);
        }
    }

    private static unsafe void Panels<TV, TVec>(float* packed, int n, int k, int m, float* x, int ldx, float* y, int ldy, int panel0, int count)
        where TV : struct, ISimdVector<TVec>
        where TVec : struct
    {
        int pw = VectorsPerPanel * TV.Count;
        float* tail = stackalloc float[2 * VectorsPerPanel * 16];
        for (int q = panel0; q < panel0 + count; q++)
        {
            int col0 = q * pw, cols = Math.Min(pw, n - col0);
            float* p = packed + ((long)q * k * pw);
            for (int i = 0; i < m; i += 2)
            {
                float* y0 = y + ((long)i * ldy) + col0;
                float* x0 = x + ((long)i * ldx);
                if (i + 1 < m)
                {
                    float* y1 = y0 + ldy;
                    if (cols == pw)
                    {
                        Panel2<TV, TVec>(p, k, x0, x0 + ldx, y0, y1);
                    }
                    else
                    {
                        Panel2<TV, TVec>(p, k, x0, x0 + ldx, tail, tail + pw);
                        new ReadOnlySpan<float>(tail, cols).CopyTo(new Span<float>(y0, cols));
                        new ReadOnlySpan<float>(tail + pw, cols).CopyTo(new Span<float>(y1, cols));
                    }
                }
                else if (cols == pw)
                {
                    Panel<TV, TVec>(p, k, x0, y0);
                }
                else
                {
                    Panel<TV, TVec>(p, k, x0, tail);
                    new ReadOnlySpan<float>(tail, cols).CopyTo(new Span<float>(y0, cols));
                }
            }
        }
    }

    // One panel for two rows: 16 accumulators, each loaded vector of W^T used twice.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Panel2<TV, TVec>(float* p, int k, float* x0, float* x1, float* y0, float* y1)
        where TV : struct, ISimdVector<TVec>
        where TVec : struct
    {
        int w = TV.Count;
        TVec a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
        TVec b0 = default, b1 = default, b2 = default, b3 = default, b4 = default, b5 = default, b6 = default, b7 = default;
        for (int kk = 0; kk < k; kk++, p += 8 * w)
        {
            var u = TV.Broadcast(x0[kk]);
            var v = TV.Broadcast(x1[kk]);
            var w0 = TV.Load(p);
            a0 = TV.MultiplyAdd(u, w0, a0);
            b0 = TV.MultiplyAdd(v, w0, b0);
            var w1 = TV.Load(p + w);
            a1 = TV.MultiplyAdd(u, w1, a1);
            b1 = TV.MultiplyAdd(v, w1, b1);
            var w2 = TV.Load(p + (2 * w));
            a2 = TV.MultiplyAdd(u, w2, a2);
            b2 = TV.MultiplyAdd(v, w2, b2);
            var w3 = TV.Load(p + (3 * w));
            a3 = TV.MultiplyAdd(u, w3, a3);
            b3 = TV.MultiplyAdd(v, w3, b3);
            var w4 = TV.Load(p + (4 * w));
            a4 = TV.MultiplyAdd(u, w4, a4);
            b4 = TV.MultiplyAdd(v, w4, b4);
            var w5 = TV.Load(p + (5 * w));
            a5 = TV.MultiplyAdd(u, w5, a5);
            b5 = TV.MultiplyAdd(v, w5, b5);
            var w6 = TV.Load(p + (6 * w));
            a6 = TV.MultiplyAdd(u, w6, a6);
            b6 = TV.MultiplyAdd(v, w6, b6);
            var w7 = TV.Load(p + (7 * w));
            a7 = TV.MultiplyAdd(u, w7, a7);
            b7 = TV.MultiplyAdd(v, w7, b7);
        }
        Store8<TV, TVec>(y0, a0, a1, a2, a3, a4, a5, a6, a7);
        Store8<TV, TVec>(y1, b0, b1, b2, b3, b4, b5, b6, b7);
    }

    // The 8 accumulators of one row of a panel, side by side.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Store8<TV, TVec>(float* y, TVec a0, TVec a1, TVec a2, TVec a3, TVec a4, TVec a5, TVec a6, TVec a7)
        where TV : struct, ISimdVector<TVec>
        where TVec : struct
    {
        int w = TV.Count;
        TV.Store(y, a0);
        TV.Store(y + w, a1);
        TV.Store(y + (2 * w), a2);
        TV.Store(y + (3 * w), a3);
        TV.Store(y + (4 * w), a4);
        TV.Store(y + (5 * w), a5);
        TV.Store(y + (6 * w), a6);
        TV.Store(y + (7 * w), a7);
    }

    // One panel: 8 accumulators of Pw / 8 columns each, down K rows of Pw floats.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Panel<TV, TVec>(float* p, int k, float* x, float* y)
        where TV : struct, ISimdVector<TVec>
        where TVec : struct
    {
        int w = TV.Count;
        TVec a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
        for (int kk = 0; kk < k; kk++, p += 8 * w)
        {
            var xb = TV.Broadcast(x[kk]);
            a0 = TV.MultiplyAdd(xb, TV.Load(p), a0);
            a1 = TV.MultiplyAdd(xb, TV.Load(p + w), a1);
            a2 = TV.MultiplyAdd(xb, TV.Load(p + (2 * w)), a2);
            a3 = TV.MultiplyAdd(xb, TV.Load(p + (3 * w)), a3);
            a4 = TV.MultiplyAdd(xb, TV.Load(p + (4 * w)), a4);
            a5 = TV.MultiplyAdd(xb, TV.Load(p + (5 * w)), a5);
            a6 = TV.MultiplyAdd(xb, TV.Load(p + (6 * w)), a6);
            a7 = TV.MultiplyAdd(xb, TV.Load(p + (7 * w)), a7);
        }
        Store8<TV, TVec>(y, a0, a1, a2, a3, a4, a5, a6, a7);
    }
}
