// M rows of op(A) and C, N columns of op(B) and C, K inner dimension
using System.Runtime.CompilerServices;

namespace Recur.Kernels;

/// <summary>
/// GEMM for few rows of C with B transposed (x * W^T with W stored [N, K], the RNN forward shape at small batch):
/// each C[i, j] is a dot product of two contiguous rows, so nothing of B is packed. Tiles of 4 rows of op(A) by 4
/// rows of B keep 16 vector accumulators over K (lane l sums p = l, l + w, ...), then reduce across lanes, add the
/// K tail in order, and write C = alpha * s (beta == 0) or beta * C + alpha * s.
/// </summary>
internal static unsafe class GemmSmallDot
{
    /// <summary>The most rows of C this path takes: beyond it, packing B once pays off.</summary>
    public const int MaxRows = 12;

    /// <summary>Runs a problem with M in 1..MaxRows and B transposed.</summary>
    public static void Run<TV, TVec>(in GemmProblem problem)
        where TV : struct, ISimdVector<TVec>
        where TVec : struct
    {
        int m = problem.M, k = problem.K;
        float* a = problem.A;
        nint lda = problem.Lda;
        if (problem.TransA)
        {
            // op(A) is [m, k] with columns lda apart: copy it to contiguous rows (m * k floats, small here).
            float* rows = GemmBuffers.PackA(m * k);
            GemmPacking.PackColumns(problem.A, problem.Lda, k, m, rows, k, pad: false);
            a = rows;
            lda = k;
        }

        for (int i = 0; i < m; i += 4)
        {
            float* ai = a + (i * lda);
            switch (Math.Min(4, m - i))
            {
                case 4: Rows<TV, TVec, GemmRows4>(problem, ai, lda, i); break;
                case 3: Rows<TV, TVec, GemmRows3>(problem, ai, lda, i); break;
                case 2: Rows<TV, TVec, GemmRows2>(problem, ai, lda, i); break;
                default: Rows<TV, TVec, GemmRows1>(problem, ai, lda, i); break;
            }
        }
    }

    private static void Rows<TV, TVec, TRows>(in GemmProblem problem, float* a, nint lda, int i)
        where TV : struct, ISimdVector<TVec>
        where TVec : struct
        where TRows : struct, IGemmRows
    {
        int j = 0;
        for (; j + 4 <= problem.N; j += 4)
        {
            Tile<TV, TVec, TRows, GemmRows4>(problem, a, lda, i, j);
        }

        for (; j < problem.N; j++)
        {
            Tile<TV, TVec, TRows, GemmRows1>(problem, a, lda, i, j);
        }
    }

    // C[i..i + TRows, j..j + TCols] from rows of op(A) at a (lda apart) and rows j.. of the stored B.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile<TV, TVec, TRows, TCols>(in GemmProblem problem, float* a, nint lda, int i, int j)
        where TV : struct, ISimdVector<TVec>
        where TVec : struct
        where TRows : struct, IGemmRows
        where TCols : struct, IGemmRows
    {
        int w = TV.Count, k = problem.K;
        nint ldb = problem.Ldb;
        float* b = problem.B + (j * ldb);
        TVec c00 = default, c01 = default, c02 = default, c03 = default;
        TVec c10 = default, c11 = default, c12 = default, c13 = default;
        TVec c20 = default, c21 = default, c22 = default, c23 = default;
        TVec c30 = default, c31 = default, c32 = default, c33 = default;
        bool wide = TCols.Value == 4;
        int p = 0;
        for (; p + w <= k; p += w)
        {
            TVec b0 = TV.Load(b + p);
            TVec b1 = wide ? TV.Load(b + ldb + p) : default;
            TVec b2 = wide ? TV.Load(b + (2 * ldb) + p) : default;
            TVec b3 = wide ? TV.Load(b + (3 * ldb) + p) : default;
            Row<TV, TVec>(TV.Load(a + p), b0, b1, b2, b3, wide, ref c00, ref c01, ref c02, ref c03);
            if (TRows.Value > 1)
            {
                Row<TV, TVec>(TV.Load(a + lda + p), b0, b1, b2, b3, wide, ref c10, ref c11, ref c12, ref c13);
            }

            if (TRows.Value > 2)
            {
                Row<TV, TVec>(TV.Load(a + (2 * lda) + p), b0, b1, b2, b3, wide, ref c20, ref c21, ref c22, ref c23);
            }

            if (TRows.Value > 3)
            {
                Row<TV, TVec>(TV.Load(a + (3 * lda) + p), b0, b1, b2, b3, wide, ref c30, ref c31, ref c32, ref c33);
            }
        }

        float* c = problem.C + (i * problem.Ldc) + j;
        Finish<TV, TVec>(problem, c, a, b, p, wide, c00, c01, c02, c03);
        if (TRows.Value > 1)
        {
            Finish<TV, TVec>(problem, c + problem.Ldc, a + lda, b, p, wide, c10, c11, c12, c13);
        }

        if (TRows.Value > 2)
        {
            Finish<TV, TVec>(problem, c + (2 * problem.Ldc), a + (2 * lda), b, p, wide, c20, c21, c22, c23);
        }

        if (TRows.Value > 3)
        {
            Finish<TV, TVec>(problem, c + (3 * problem.Ldc), a + (3 * lda), b, p, wide, c30, c31, c32, c33);
        }
    }

    private static void Row<TV, TVec>(TVec x, TVec b0, TVec b1, TVec b2, TVec b3, bool wide, ref TVec c0, ref TVec c1, ref TVec c2, ref TVec c3)
        where TV : struct, ISimdVector<TVec>
        where TVec : struct
    {
        c0 = TV.MultiplyAdd(x, b0, c0);
        if (wide)
        {
            c1 = TV.MultiplyAdd(x, b1, c1);
            c2 = TV.MultiplyAdd(x, b2, c2);
            c3 = TV.MultiplyAdd(x, b3, c3);
        }
    }

    // Reduces one row's accumulators, adds the K tail p0..k-1 in order and stores 1 or 4 elements of C.
    private static void Finish<TV, TVec>(in GemmProblem problem, float* c, float* a, float* b, int p0, bool wide, TVec x0, TVec x1, TVec x2, TVec x3)
        where TV : struct, ISimdVector<TVec>
        where TVec : struct
    {
        Store(problem, c, Dot<TV, TVec>(x0, a, b, p0, problem.K));
        if (wide)
        {
            nint ldb = problem.Ldb;
            Store(problem, c + 1, Dot<TV, TVec>(x1, a, b + ldb, p0, problem.K));
            Store(problem, c + 2, Dot<TV, TVec>(x2, a, b + (2 * ldb), p0, problem.K));
            Store(problem, c + 3, Dot<TV, TVec>(x3, a, b + (3 * ldb), p0, problem.K));
        }
    }

    private static float Dot<TV, TVec>(TVec acc, float* a, float* b, int p0, int k)
        where TV : struct, ISimdVector<TVec>
        where TVec : struct
    {
        float s = TV.Sum(acc);
        for (int p = p0; p < k; p++)
        {
            s = MathF.FusedMultiplyAdd(a[p], b[p], s);
        }

        return s;
    }

    private static void Store(in GemmProblem problem, float* c, float s)
    {
        float v = problem.Alpha * s;
        *c = problem.Beta == 0f ? v : (problem.Beta * *c) + v;
    }
}
