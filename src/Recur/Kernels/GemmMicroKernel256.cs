// M rows of op(A) and C, N columns of op(B) and C, K inner dimension
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Recur.Kernels;

/// <summary>
/// Vector256 micro-kernel: a 6x16 tile of C held in 12 ymm accumulators (fits the 16 registers of AVX2).
/// A panel is packed k-major with Mr floats per k; B rows are 16 contiguous floats, ldb apart.
/// </summary>
internal readonly unsafe struct GemmMicroKernel256 : IGemmMicroKernel
{
    public static int Mr => 6;

    public static int Nr => 16;

    public static void Run(int rows, int kc, float* a, float* b, nint ldb, float* c, nint ldc, float alpha, float beta)
    {
        switch (rows)
        {
            case 6: Tile<GemmRows6>(kc, a, b, ldb, c, ldc, alpha, beta); break;
            case 5: Tile<GemmRows5>(kc, a, b, ldb, c, ldc, alpha, beta); break;
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
        Vector256<float> c00 = default, c01 = default;
        Vector256<float> c10 = default, c11 = default;
        Vector256<float> c20 = default, c21 = default;
        Vector256<float> c30 = default, c31 = default;
        Vector256<float> c40 = default, c41 = default;
        Vector256<float> c50 = default, c51 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector256<float> b0 = Vector256.Load(b);
            Vector256<float> b1 = Vector256.Load(b + 8);
            Vector256<float> a0 = Vector256.Create(a[0]);
            c00 = Vector256.FusedMultiplyAdd(a0, b0, c00);
            c01 = Vector256.FusedMultiplyAdd(a0, b1, c01);
            if (TRows.Value > 1)
            {
                Vector256<float> a1 = Vector256.Create(a[1]);
                c10 = Vector256.FusedMultiplyAdd(a1, b0, c10);
                c11 = Vector256.FusedMultiplyAdd(a1, b1, c11);
            }
            if (TRows.Value > 2)
            {
                Vector256<float> a2 = Vector256.Create(a[2]);
                c20 = Vector256.FusedMultiplyAdd(a2, b0, c20);
                c21 = Vector256.FusedMultiplyAdd(a2, b1, c21);
            }
            if (TRows.Value > 3)
            {
                Vector256<float> a3 = Vector256.Create(a[3]);
                c30 = Vector256.FusedMultiplyAdd(a3, b0, c30);
                c31 = Vector256.FusedMultiplyAdd(a3, b1, c31);
            }
            if (TRows.Value > 4)
            {
                Vector256<float> a4 = Vector256.Create(a[4]);
                c40 = Vector256.FusedMultiplyAdd(a4, b0, c40);
                c41 = Vector256.FusedMultiplyAdd(a4, b1, c41);
            }
            if (TRows.Value > 5)
            {
                Vector256<float> a5 = Vector256.Create(a[5]);
                c50 = Vector256.FusedMultiplyAdd(a5, b0, c50);
                c51 = Vector256.FusedMultiplyAdd(a5, b1, c51);
            }

            a += 6;
            b += ldb;
        }

        Vector256<float> va = Vector256.Create(alpha);
        Vector256<float> vb = Vector256.Create(beta);
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

        if (TRows.Value > 4)
        {
            Update(c + (4 * ldc), c40, c41, va, vb, overwrite);
        }

        if (TRows.Value > 5)
        {
            Update(c + (5 * ldc), c50, c51, va, vb, overwrite);
        }
    }

    // C = alpha * acc (beta == 0, C is never read) or C = beta * C + alpha * acc.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Update(float* c, Vector256<float> x0, Vector256<float> x1, Vector256<float> alpha, Vector256<float> beta, bool overwrite)
    {
        if (overwrite)
        {
            Vector256.Store(alpha * x0, c);
            Vector256.Store(alpha * x1, c + 8);
        }
        else
        {
            Vector256.Store((beta * Vector256.Load(c)) + (alpha * x0), c);
            Vector256.Store((beta * Vector256.Load(c + 8)) + (alpha * x1), c + 8);
        }
    }
}
