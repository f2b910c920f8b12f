// M rows of op(A) and C, N columns of op(B) and C, K inner dimension
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Recur.Kernels;

/// <summary>
/// Vector512 micro-kernel: a 8x32 tile of C held in 16 zmm accumulators, one FMA per A broadcast and B vector.
/// A panel is packed k-major with Mr floats per k; B rows are 32 contiguous floats, ldb apart.
/// </summary>
internal readonly unsafe struct GemmMicroKernel512 : IGemmMicroKernel
{
    public static int Mr => 8;

    public static int Nr => 32;

    public static void Run(int rows, int kc, float* a, float* b, nint ldb, float* c, nint ldc, float alpha, float beta)
    {
        switch (rows)
        {
            case 8: Tile<GemmRows8>(kc, a, b, ldb, c, ldc, alpha, beta); break;
            case 7: Tile<GemmRows7>(kc, a, b, ldb, c, ldc, alpha, beta); break;
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
        Vector512<float> c00 = default, c01 = default;
        Vector512<float> c10 = default, c11 = default;
        Vector512<float> c20 = default, c21 = default;
        Vector512<float> c30 = default, c31 = default;
        Vector512<float> c40 = default, c41 = default;
        Vector512<float> c50 = default, c51 = default;
        Vector512<float> c60 = default, c61 = default;
        Vector512<float> c70 = default, c71 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512.Load(b);
            Vector512<float> b1 = Vector512.Load(b + 16);
            Vector512<float> a0 = Vector512.Create(a[0]);
            c00 = Vector512.FusedMultiplyAdd(a0, b0, c00);
            c01 = Vector512.FusedMultiplyAdd(a0, b1, c01);
            if (TRows.Value > 1)
            {
                Vector512<float> a1 = Vector512.Create(a[1]);
                c10 = Vector512.FusedMultiplyAdd(a1, b0, c10);
                c11 = Vector512.FusedMultiplyAdd(a1, b1, c11);
            }
            if (TRows.Value > 2)
            {
                Vector512<float> a2 = Vector512.Create(a[2]);
                c20 = Vector512.FusedMultiplyAdd(a2, b0, c20);
                c21 = Vector512.FusedMultiplyAdd(a2, b1, c21);
            }
            if (TRows.Value > 3)
            {
                Vector512<float> a3 = Vector512.Create(a[3]);
                c30 = Vector512.FusedMultiplyAdd(a3, b0, c30);
                c31 = Vector512.FusedMultiplyAdd(a3, b1, c31);
            }
            if (TRows.Value > 4)
            {
                Vector512<float> a4 = Vector512.Create(a[4]);
                c40 = Vector512.FusedMultiplyAdd(a4, b0, c40);
                c41 = Vector512.FusedMultiplyAdd(a4, b1, c41);
            }
            if (TRows.Value > 5)
            {
                Vector512<float> a5 = Vector512.Create(a[5]);
                c50 = Vector512.FusedMultiplyAdd(a5, b0, c50);
                c51 = Vector512.FusedMultiplyAdd(a5, b1, c51);
            }
            if (TRows.Value > 6)
            {
                Vector512<float> a6 = Vector512.Create(a[6]);
                c60 = Vector512.FusedMultiplyAdd(a6, b0, c60);
                c61 = Vector512.FusedMultiplyAdd(a6, b1, c61);
            }
            if (TRows.Value > 7)
            {
                Vector512<float> a7 = Vector512.Create(a[7]);
                c70 = Vector512.FusedMultiplyAdd(a7, b0, c70);
                c71 = Vector512.FusedMultiplyAdd(a7, b1, c71);
            }

            a += 8;
            b += ldb;
        }

        Vector512<float> va = Vector512.Create(alpha);
        Vector512<float> vb = Vector512.Create(beta);
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

        if (TRows.Value > 6)
        {
            Update(c + (6 * ldc), c60, c61, va, vb, overwrite);
        }

        if (TRows.Value > 7)
        {
            Update(c + (7 * ldc), c70, c71, va, vb, overwrite);
        }
    }

    // C = alpha * acc (beta == 0, C is never read) or C = beta * C + alpha * acc.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Update(float* c, Vector512<float> x0, Vector512<float> x1, Vector512<float> alpha, Vector512<float> beta, bool overwrite)
    {
        if (overwrite)
        {
            Vector512.Store(alpha * x0, c);
            Vector512.Store(alpha * x1, c + 16);
        }
        else
        {
            Vector512.Store((beta * Vector512.Load(c)) + (alpha * x0), c);
            Vector512.Store((beta * Vector512.Load(c + 16)) + (alpha * x1), c + 16);
        }
    }
}
