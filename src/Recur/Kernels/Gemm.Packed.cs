// M rows of A and C, N columns of op(B) and C, K inner dimension
using System.Runtime.Intrinsics;

namespace Recur.Kernels;

/// <summary>
/// GEMM with B packed once and reused by many products (the recurrent weights of an RNN, multiplied once per time
/// step): <see cref="PackB"/> lays op(B) out as the micro-kernel's column panels, so MultiplyPacked
/// packs nothing per call. Results are bitwise identical to <see cref="Multiply(bool, bool, int, int, int, float, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, float, Span{float}, int)"/>
/// on its blocked path, for every thread count.
/// </summary>
public static partial class Gemm
{
    /// <summary>Width of the packed column panels (the micro-kernel's Nr): 32, 16 or 8 floats by vector width.</summary>
    public static int PackedPanelWidth { get; } =
        Vector512.IsHardwareAccelerated ? GemmMicroKernel512.Nr : Vector256.IsHardwareAccelerated ? GemmMicroKernel256.Nr : GemmMicroKernelPortable.Nr;

    /// <summary>Floats a packed op(B) [k, n] occupies: ceil(n / Nr) * Nr * k.</summary>
    /// <param name="n">Columns of op(B).</param>
    /// <param name="k">Rows of op(B).</param>
    /// <returns>The length <see cref="PackB"/> writes.</returns>
    public static int PackedBLength(int n, int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        return GemmBlocking.RoundUp(n, PackedPanelWidth) * k;
    }

    /// <summary>
    /// Packs op(B) [k, n] (B stored [k, ldb], or [n, ldb] when <paramref name="transB"/>) into
    /// <paramref name="packed"/>: panel q holds columns q*Nr .. q*Nr+Nr-1 as k rows of Nr floats, zero-padded past n.
    /// </summary>
    /// <param name="transB">Whether op(B) is the transpose of the stored B.</param>
    /// <param name="n">Columns of op(B).</param>
    /// <param name="k">Rows of op(B).</param>
    /// <param name="b">The stored B.</param>
    /// <param name="ldb">Distance between rows of the stored B.</param>
    /// <param name="packed">Destination of <see cref="PackedBLength"/>(n, k) floats; must not overlap B.</param>
    public static unsafe void PackB(bool transB, int n, int k, ReadOnlySpan<float> b, int ldb, Span<float> packed)
    {
        CheckOperand(nameof(b), "B", b.Length, transB ? n : k, transB ? k : n, ldb, nameof(ldb));
        int length = PackedBLength(n, k);
        if (packed.Length < length)
            throw new ArgumentException($"packed has {packed.Length} elements but op(B) [{k} x {n}] packs into {length}.", nameof(packed));
        if (n == 0 || k == 0) return;
        fixed (float* pb = b, pp = packed)
        {
            if (transB) GemmPacking.PackColumns(pb, ldb, n, k, pp, PackedPanelWidth, pad: true);
            else GemmPacking.PackRows(pb, ldb, n, k, pp, PackedPanelWidth, pad: true);
        }
    }

    /// <summary>
    /// C[m, n] = alpha * A[m, k] * op(B)[k, n] + beta * C with op(B) from <see cref="PackB"/>; A is stored [m, lda],
    /// C [m, ldc]. When beta is 0, C is only written. C must not overlap A or the packed B.
    /// </summary>
    /// <param name="m">Rows of A and C.</param>
    /// <param name="n">Columns of op(B) and C, as packed.</param>
    /// <param name="k">Columns of A, rows of op(B), as packed.</param>
    /// <param name="alpha">Scale of the product.</param>
    /// <param name="a">The stored A.</param>
    /// <param name="lda">Distance between rows of A, at least k.</param>
    /// <param name="packedB">op(B) as written by <see cref="PackB"/> with the same n and k.</param>
    /// <param name="beta">Scale of the previous C.</param>
    /// <param name="c">The output C, updated in place.</param>
    /// <param name="ldc">Distance between rows of C, at least n.</param>
    public static void MultiplyPacked(int m, int n, int k, float alpha, ReadOnlySpan<float> a, int lda,
        ReadOnlySpan<float> packedB, float beta, Span<float> c, int ldc)
        => MultiplyPacked(default, m, n, k, alpha, a, lda, packedB, beta, c, ldc);

    /// <summary>The public operation with internal knobs (threads) for callers that split the work themselves.</summary>
    internal static unsafe void MultiplyPacked(in GemmOptions options, int m, int n, int k, float alpha, ReadOnlySpan<float> a, int lda,
        ReadOnlySpan<float> packedB, float beta, Span<float> c, int ldc)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        CheckOperand(nameof(a), "A", a.Length, m, k, lda, nameof(lda));
        CheckOperand(nameof(c), "C", c.Length, m, n, ldc, nameof(ldc));
        int length = PackedBLength(n, k);
        if (packedB.Length < length)
            throw new ArgumentException($"packedB has {packedB.Length} elements but op(B) [{k} x {n}] packed needs {length}.", nameof(packedB));
        if (m == 0 || n == 0) return;
        fixed (float* pa = a, pb = packedB, pc = c)
        {
            var problem = new GemmProblem(false, false, m, n, k, alpha, pa, lda, pb, PackedPanelWidth, beta, pc, ldc) { PackedNr = PackedPanelWidth };
            if (k == 0 || alpha == 0f)
            {
                ScaleC(problem);
                return;
            }

            Run(problem, options);
        }
    }
}
