// M rows of op(A) and C, N columns of op(B) and C, K inner dimension
using System.Runtime.CompilerServices;

namespace Recur.Kernels;

/// <summary>
/// GEMM for at most <see cref="MaxRows"/> rows of C with plain B (the vector-times-matrix shapes of single-sequence
/// RNN steps): no packing and no K blocking. Each block of 4 vectors of C columns for all rows stays in registers
/// while B streams row by row; every element is acc = fma(a[i, p], b[p, j], acc) for p in order, then
/// C = alpha * acc (beta == 0) or beta * C + alpha * acc.
/// </summary>
internal static unsafe class GemmSmallRows
{
    /// <summary>The most rows of C this path takes.</summary>
    public const int MaxRows = 4;

    /// <summary>Runs a problem with M in 1..MaxRows and B not transposed.</summary>
    public static void Run<TV, TVec>(in GemmProblem problem)
        where TV : struct, ISimdVector<TVec>
        where TVec : struct
    {
        switch (problem.M)
        {
            case 1: Rows<TV, TVec, GemmRows1>(problem); break;
            case 2: Rows<TV, TVec, GemmRows2>(problem); break;
            case 3: Rows<TV, TVec, GemmRows3>(problem); break;
            case 4: Rows<TV, TVec, GemmRows4>(problem); break;
            default: throw new ArgumentOutOfRangeException(nameof(problem));
        }
    }

    private static void Rows<TV, TVec, TRows>(in GemmProblem problem)
        where TV : struct, ISimdVector<TVec>
        where TVec : struct
        where TRows : struct, IGemmRows
    {
        int w = TV.Count;
        int n = problem.N;
        int j = 0;
        for (; j + (4 * w) <= n; j += 4 * w)
        {
            Block<TV, TVec, TRows, GemmRows4>(problem, j);
        }

        for (; j + w <= n; j += w)
        {
            Block<TV, TVec, TRows, GemmRows1>(problem, j);
        }

        for (; j < n; j++)
        {
            for (int i = 0; i < problem.M; i++)
            {
                float acc = 0f;
                for (int p = 0; p < problem.K; p++)
                {
                    acc = MathF.FusedMultiplyAdd(*problem.AAt(i, p), *problem.BAt(p, j), acc);
                }

                float* c = problem.C + (i * problem.Ldc) + j;
                float v = problem.Alpha * acc;
                *c = problem.Beta == 0f ? v : (problem.Beta * *c) + v;
            }
        }
    }

    // C[0..TRows, j..j + TVectors * w): TRows x TVectors accumulators (TVectors is 4 or 1).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block<TV, TVec, TRows, TVectors>(in GemmProblem problem, int j)
        where TV : struct, ISimdVector<TVec>
        where TVec : struct
        where TRows : struct, IGemmRows
        where TVectors : struct, IGemmRows
    {
        int w = TV.Count;
        int k = problem.K;
        nint ldb = problem.Ldb;
        nint aStep = problem.TransA ? problem.Lda : 1;
        float* a0 = problem.AAt(0, 0);
        float* a1 = TRows.Value > 1 ? problem.AAt(1, 0) : a0;
        float* a2 = TRows.Value > 2 ? problem.AAt(2, 0) : a0;
        float* a3 = TRows.Value > 3 ? problem.AAt(3, 0) : a0;
        float* b = problem.BAt(0, j);
        TVec c00 = default, c01 = default, c02 = default, c03 = default;
        TVec c10 = default, c11 = default, c12 = default, c13 = default;
        TVec c20 = default, c21 = default, c22 = default, c23 = default;
        TVec c30 = default, c31 = default, c32 = default, c33 = default;
        bool wide = TVectors.Value == 4;
        for (int p = 0; p < k; p++, b += ldb, a0 += aStep, a1 += aStep, a2 += aStep, a3 += aStep)
        {
            TVec b0 = TV.Load(b);
            TVec b1 = wide ? TV.Load(b + w) : default;
            TVec b2 = wide ? TV.Load(b + (2 * w)) : default;
            TVec b3 = wide ? TV.Load(b + (3 * w)) : default;
            TVec x = TV.Broadcast(*a0);
            c00 = TV.MultiplyAdd(x, b0, c00);
            if (wide)
            {
                c01 = TV.MultiplyAdd(x, b1, c01);
                c02 = TV.MultiplyAdd(x, b2, c02);
                c03 = TV.MultiplyAdd(x, b3, c03);
            }

            if (TRows.Value > 1)
            {
                x = TV.Broadcast(*a1);
                c10 = TV.MultiplyAdd(x, b0, c10);
                if (wide)
                {
                    c11 = TV.MultiplyAdd(x, b1, c11);
                    c12 = TV.MultiplyAdd(x, b2, c12);
                    c13 = TV.MultiplyAdd(x, b3, c13);
                }
            }

            if (TRows.Value > 2)
            {
                x = TV.Broadcast(*a2);
                c20 = TV.MultiplyAdd(x, b0, c20);
                if (wide)
                {
                    c21 = TV.MultiplyAdd(x, b1, c21);
                    c22 = TV.MultiplyAdd(x, b2, c22);
                    c23 = TV.MultiplyAdd(x, b3, c23);
                }
            }

            if (TRows.Value > 3)
            {
                x = TV.Broadcast(*a3);
                c30 = TV.MultiplyAdd(x, b0, c30);
                if (wide)
                {
                    c31 = TV.MultiplyAdd(x, b1, c31);
                    c32 = TV.MultiplyAdd(x, b2, c32);
                    c33 = TV.MultiplyAdd(x, b3, c33);
                }
            }
        }

        float* c = problem.C + j;
        Update<TV, TVec>(problem, c, wide, c00, c01, c02, c03);
        if (TRows.Value > 1)
        {
            Update<TV, TVec>(problem, c + problem.Ldc, wide, c10, c11, c12, c13);
        }

        if (TRows.Value > 2)
        {
            Update<TV, TVec>(problem, c + (2 * problem.Ldc), wide, c20, c21, c22, c23);
        }

        if (TRows.Value > 3)
        {
            Update<TV, TVec>(problem, c + (3 * problem.Ldc), wide, c30, c31, c32, c33);
        }
    }

    private static void Update<TV, TVec>(in GemmProblem problem, float* c, bool wide, TVec x0, TVec x1, TVec x2, TVec x3)
        where TV : struct, ISimdVector<TVec>
        where TVec : struct
    {
        int w = TV.Count;
        TVec alpha = TV.Broadcast(problem.Alpha);
        Store<TV, TVec>(problem, c, TV.Multiply(alpha, x0));
        if (wide)
        {
            Store<TV, TVec>(problem, c + w, TV.Multiply(alpha, x1));
            Store<TV, TVec>(problem, c + (2 * w), TV.Multiply(alpha, x2));
            Store<TV, TVec>(problem, c + (3 * w), TV.Multiply(alpha, x3));
        }
    }

    private static void Store<TV, TVec>(in GemmProblem problem, float* c, TVec product)
        where TV : struct, ISimdVector<TVec>
        where TVec : struct
    {
        TV.Store(c, problem.Beta == 0f ? product : TV.Add(TV.Multiply(TV.Broadcast(problem.Beta), TV.Load(c)), product));
    }
}
