// M rows of op(A) and C, N columns of op(B) and C, K inner dimension
namespace Recur.Kernels.Reference;

/// <summary>The scalar twin of <see cref="Gemm"/>: a naive triple loop accumulating in double.</summary>
internal static class ReferenceGemm
{
    /// <summary>C = alpha * op(A) * op(B) + beta * C with the layout rules of <see cref="Gemm.Multiply(bool, bool, int, int, int, float, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, float, Span{float}, int)"/>.</summary>
    public static void Multiply(
        bool transA, bool transB, int m, int n, int k, float alpha, ReadOnlySpan<float> a, int lda,
        ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int p = 0; p < k; p++)
                {
                    float x = transA ? a[(p * lda) + i] : a[(i * lda) + p];
                    float y = transB ? b[(j * ldb) + p] : b[(p * ldb) + j];
                    sum += (double)x * y;
                }

                double product = k == 0 || alpha == 0f ? 0 : alpha * sum;
                c[(i * ldc) + j] = (float)(beta == 0f ? product : (beta * (double)c[(i * ldc) + j]) + product);
            }
        }
    }
}
