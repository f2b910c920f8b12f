using Recur.Kernels;
using Recur.Kernels.Reference;

namespace Recur.Tests.Kernels;

/// <summary><see cref="Gemm.MultiplyPacked"/> against the reference GEMM and against the blocked path of Multiply.</summary>
[Collection(GlobalKernelState.Name)]
public class GemmPackedTests
{
    public static TheoryData<int, int, int> Shapes => new()
    {
        { 1, 1, 1 }, { 1, 33, 7 }, { 3, 31, 5 }, { 8, 32, 16 }, { 9, 65, 600 }, { 17, 100, 33 }, { 64, 96, 40 },
        { 70, 129, 513 }, { 5, 1, 1030 }, { 0, 5, 3 }, { 4, 0, 3 }, { 4, 5, 0 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MatchesTheReferenceForBothLayoutsOfB(int m, int n, int k)
    {
        var random = new Random((m * 1000) + (n * 10) + k);
        foreach (bool transB in new[] { false, true })
        {
            foreach (var (alpha, beta) in new[] { (1f, 0f), (0.5f, 1f), (-1.5f, 0.25f), (0f, 2f) })
            {
                int lda = k + 3, ldb = (transB ? k : n) + 2, ldc = n + 1;
                float[] a = KernelTestData.Uniform(random, Math.Max(1, m * lda));
                float[] b = KernelTestData.Uniform(random, Math.Max(1, (transB ? n : k) * ldb));
                float[] c = KernelTestData.Uniform(random, Math.Max(1, m * ldc), 2f);
                if (beta == 0f) for (int i = 0; i < c.Length; i += 3) c[i] = float.NaN;
                float[] expected = (float[])c.Clone();
                ReferenceGemm.Multiply(false, transB, m, n, k, alpha, a, lda, b, ldb, beta, expected, ldc);
                float[] blocked = (float[])c.Clone();
                Gemm.Multiply(new GemmOptions { BlockedOnly = true, BMode = GemmBMode.Packed }, false, transB, m, n, k, alpha, a, lda, b, ldb, beta, blocked, ldc);

                var packed = new float[Gemm.PackedBLength(n, k) + 5];
                Gemm.PackB(transB, n, k, b, ldb, packed);
                Gemm.MultiplyPacked(m, n, k, alpha, a, lda, packed, beta, c, ldc);

                for (int i = 0; i < c.Length; i++)
                {
                    bool inside = i / ldc < m && i % ldc < n;
                    if (!inside)
                    {
                        Assert.Equal(expected[i], c[i]); // padding untouched
                        continue;
                    }
                    Assert.True(Math.Abs(c[i] - expected[i]) <= ((k + 3) * 1.2e-7f * (Math.Abs(expected[i]) + k)) + 1e-6f,
                        $"m={m} n={n} k={k} transB={transB} alpha={alpha} beta={beta}: {i} expected {expected[i]} got {c[i]}");
                    Assert.Equal(blocked[i], c[i]); // same arithmetic as the blocked path, bit for bit
                }
            }
        }
    }

    [Fact]
    public void ThreadCountDoesNotChangeTheResult()
    {
        int m = 64, n = 2048, k = 512;
        var random = new Random(3);
        float[] a = KernelTestData.Uniform(random, m * k), b = KernelTestData.Uniform(random, n * k);
        var packed = new float[Gemm.PackedBLength(n, k)];
        Gemm.PackB(true, n, k, b, k, packed);
        int saved = KernelThreading.MaxThreads;
        try
        {
            float[] one = new float[m * n], two = new float[m * n];
            KernelThreading.MaxThreads = 1;
            Gemm.MultiplyPacked(m, n, k, 1f, a, k, packed, 0f, one, n);
            KernelThreading.MaxThreads = 2;
            Gemm.MultiplyPacked(m, n, k, 1f, a, k, packed, 0f, two, n);
            Assert.Equal(one, two);
        }
        finally
        {
            KernelThreading.MaxThreads = saved;
        }
    }

    [Fact]
    public void TooShortBuffersAreRejected()
    {
        var b = new float[12];
        Assert.Throws<ArgumentException>(() => Gemm.PackB(false, 4, 3, b, 4, new float[Gemm.PackedBLength(4, 3) - 1]));
        Assert.Throws<ArgumentException>(() => Gemm.MultiplyPacked(2, 4, 3, 1f, new float[6], 3, new float[5], 0f, new float[8], 4));
    }
}
