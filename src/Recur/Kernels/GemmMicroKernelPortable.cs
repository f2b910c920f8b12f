// M rows of op(A) and C, N columns of op(B) and C, K inner dimension
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Recur.Kernels;

/// <summary>
/// Portable micro-kernel on Vector128 (SSE, NEON, or software): a 4x8 tile of C in 8 accumulators.
/// Uses MultiplyAddEstimate, which is a fused multiply-add where the hardware has one and multiply then add elsewhere.
/// </summary>
internal readonly unsafe struct GemmMicroKernelPortable : IGemmMicroKernel
{
    public static int Mr => 4;

    public static int Nr => 8;

    public static void Run(int rows, int kc, float* a, float* b, nint ldb, float* c, nint ldc, float alpha, float beta)
    {
        switch (rows)
        {
            case 4: Tile<GemmRows4>(kc, a, b, ldb, c, ldc, alpha, beta); break;
            case 3: Tile<GemmRows3>(kc, a, b, ldb, c, ldc, alpha, beta); break;
            case 2: Tile<GemmRows2>(kc, a, b, ldb, c, ldc, alpha, beta); break;
            case 1: Tile<GemmRows1>(kc, a, b, ldb, c, ldc, alpha, beta); break;
            default: throw new ArgumentOutOfRangeException(nameof(rows));
        }
    }

    // Accumulators for rows beyond TRows.Value are never touched, so the JIT drops them and their branches.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile<TRows>(int kc, float* a, float* b, nint ldb, float* c, nint ldc, float alpha, float beta)
        where TRows : struct, IGemmRows
    {
        Vector128<float> c00 = default, c01 = default;
        Vector128<float> c10 = default, c11 = default;
        Vector128<float> c20 = default, c21 = default;
        Vector128<float> c30 = default, c31 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector128<float> b0 = Vector128.Load(b);
            Vector128<float> b1 = Vector128.Load(b + 4);
            Vector128<float> a0 = Vector128.Create(a[0]);
            c00 = Vector128.MultiplyAddEstimate(a0, b0, c00);
            c01 = Vector128.MultiplyAddEstimate(a0, b1, c01);
            if (TRows.Value > 1)
            {
                Vector128<float> a1 = Vector128.Create(a[1]);
                c10 = Vector128.MultiplyAddEstimate(a1, b0, c10);
                c11 = Vector128.MultiplyAddEstimate(a1, b1, c11);
            }
            if (TRows.Value > 2)
            {
                Vector128<float> a2 = Vector128.Create(a[2]);
                c20 = Vector128.MultiplyAddEstimate(a2, b0, c20);
                c21 = Vector128.MultiplyAddEstimate(a2, b1, c21);
            }
            if (TRows.Value > 3)
            {
                Vector128<float> a3 = Vector128.Create(a[3]);
                c30 = Vector128.MultiplyAddEstimate(a3, b0, c30);
                c31 = Vector128.MultiplyAddEstimate(a3, b1, c31);
            }

            a += 4;
            b += ldb;
        }

        Vector128<float> va = Vector128.Create(alpha);
        Vector128<float> vb = Vector128.Create(beta);
        bool overwrite = beta == 0f;
        Update(c, c00, c01, va, vb, overwrite);

        if (TRows.Value > 1)
        {
            Update(c + ldc, c10, c11, va, vb, overwrite);
        }

        if (TRows.Value > 2)
        {
            Update(c + (2 * ldc), c20, c21, va, vb, overwrite);
        }

        if (TRows.Value > 3)
        {
            Update(c + (3 * ldc), c30, c31, va, vb, overwrite);
        }
    }

    // C = alpha * acc (beta == 0, C is never read) or C = beta * C + alpha * acc.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Update(float* c, Vector128<float> x0, Vector128<float> x1, Vector128<float> alpha, Vector128<float> beta, bool overwrite)
    {
        if (overwrite)
        {
            Vector128.Store(alpha * x0, c);
            Vector128.Store(alpha * x1, c + 4);
        }
        else
        {
            Vector128.Store((beta * Vector128.Load(c)) + (alpha * x0), c);
            Vector128.Store((beta * Vector128.Load(c + 4)) + (alpha * x1), c + 4);
        }
    }
}
