// M rows of op(A) and C, N columns of op(B) and C, K inner dimension
using Recur.Kernels;

namespace Recur.Tests.Kernels;

/// <summary>GEMM contracts beyond the numbers: BLAS rules, determinism across threads and kernels, allocation, arguments.</summary>
[Collection(GlobalKernelState.Name)]
public class GemmContractTests
{
    [Fact]
    public void BetaZeroOverwritesNaNAndInfinityInC()
    {
        foreach (int size in new[] { 1, 5, 40, 100 })
        {
            var a = new float[size * size];
            var b = new float[size * size];
            Array.Fill(a, 1f);
            Array.Fill(b, 2f);
            var c = new float[size * size];
            for (int i = 0; i < c.Length; i++)
            {
                c[i] = i % 2 == 0 ? float.NaN : float.NegativeInfinity;
            }

            Gemm.Multiply(false, false, size, size, size, 1f, a, b, 0f, c);
            Assert.All(c, value => Assert.Equal(2f * size, value));
        }
    }

    [Fact]
    public void EmptyDimensionsWorkAndZeroDepthScalesC()
    {
        var c = new float[] { 1f, 2f, 3f, 4f, 5f, 6f };
        Gemm.Multiply(false, false, 0, 3, 4, 1f, [], new float[12], 0f, []);
        Gemm.Multiply(false, false, 2, 0, 4, 1f, new float[8], [], 0f, []);
        Gemm.Multiply(true, true, 2, 3, 0, 1f, [], [], 2f, c);
        Assert.Equal([2f, 4f, 6f, 8f, 10f, 12f], c);
        Gemm.Multiply(false, false, 2, 3, 0, 1f, [], [], 0f, c);
        Assert.All(c, value => Assert.Equal(0f, value));

        // alpha = 0 must not read A or B, so NaN there does not reach C.
        var nan = new float[] { float.NaN, float.NaN, float.NaN, float.NaN, float.NaN, float.NaN };
        var d = new float[] { 1f, 2f, 3f, 4f };
        Gemm.Multiply(false, false, 2, 2, 3, 0f, nan, nan, 3f, d);
        Assert.Equal([3f, 6f, 9f, 12f], d);
    }

    [Fact]
    public void ConvenienceOverloadUsesContiguousLeadingDimensions()
    {
        var random = new Random(5);
        foreach (bool transA in new[] { false, true })
        {
            foreach (bool transB in new[] { false, true })
            {
                float[] a = KernelTestData.Uniform(random, 7 * 11);
                float[] b = KernelTestData.Uniform(random, 11 * 13);
                float[] c1 = KernelTestData.Uniform(random, 7 * 13);
                var c2 = (float[])c1.Clone();
                Gemm.Multiply(transA, transB, 7, 13, 11, 1.5f, a, b, 0.5f, c1);
                Gemm.Multiply(transA, transB, 7, 13, 11, 1.5f, a, transA ? 7 : 11, b, transB ? 11 : 13, 0.5f, c2, 13);
                KernelTestData.AssertBitwiseEqual(c2, c1, $"transA={transA} transB={transB}");
            }
        }
    }

    [Theory]
    [InlineData(37, 70, 45)]
    [InlineData(200, 33, 64)]
    [InlineData(9, 300, 130)]
    [InlineData(300, 90, 100)]
    public void ThreadCountDoesNotChangeAnyBit(int m, int n, int k)
    {
        var random = new Random(m + n + k);
        foreach (bool transA in new[] { false, true })
        {
            foreach (bool transB in new[] { false, true })
            {
                float[] a = KernelTestData.Uniform(random, m * k);
                float[] b = KernelTestData.Uniform(random, k * n);
                float[] c0 = KernelTestData.Uniform(random, m * n);
                float[]? single = null;
                foreach (int threads in new[] { 1, 2, 3, 4, 7 })
                {
                    var c = (float[])c0.Clone();
                    var options = new GemmOptions { Threads = threads, Kc = 48, Mc = 40 };
                    Gemm.Multiply(options, transA, transB, m, n, k, 0.5f, a, transA ? m : k, b, transB ? k : n, 1f, c, n);
                    single ??= c;
                    KernelTestData.AssertBitwiseEqual(single, c, $"threads={threads} transA={transA} transB={transB}");
                }
            }
        }
    }

    [Fact]
    public void KernelsAndBModesAgreeBitwiseForTheSameKBlocking()
    {
        const int m = 45, n = 77, k = 301;
        var random = new Random(9);
        float[] a = KernelTestData.Uniform(random, m * k);
        float[] b = KernelTestData.Uniform(random, k * n);
        float[] c0 = KernelTestData.Uniform(random, m * n);
        float[]? first = null;
        foreach (GemmKernelKind kernel in GemmTests.AvailableKernels())
        {
            if (kernel == GemmKernelKind.Portable && !System.Runtime.Intrinsics.X86.Fma.IsSupported)
            {
                continue;
            }

            foreach (GemmBMode mode in new[] { GemmBMode.Packed, GemmBMode.Direct })
            {
                var c = (float[])c0.Clone();
                var options = new GemmOptions { Kernel = kernel, BMode = mode, Kc = 100, Mc = 24, Nc = 64 };
                Gemm.Multiply(options, false, false, m, n, k, 1f, a, k, b, n, -1f, c, n);
                first ??= c;
                KernelTestData.AssertBitwiseEqual(first, c, $"{kernel} {mode}");
            }
        }
    }

    [Fact]
    public void SingleThreadedCallsAllocateNothingAfterWarmUp()
    {
        var random = new Random(3);
        float[] a = KernelTestData.Uniform(random, 300 * 300);
        float[] b = KernelTestData.Uniform(random, 300 * 300);
        var c = new float[300 * 300];
        var single = new GemmOptions { Threads = 1 };
        (int M, int N, int K, bool TransA, bool TransB)[] shapes =
            [(300, 300, 300, false, false), (300, 300, 300, true, true), (64, 300, 200, false, true), (3, 5, 7, true, false), (9, 300, 70, true, true)];
        foreach (var s in shapes)
        {
            Gemm.Multiply(single, s.TransA, s.TransB, s.M, s.N, s.K, 1f, a, s.TransA ? s.M : s.K, b, s.TransB ? s.K : s.N, 0f, c, s.N);
        }

        foreach (var s in shapes)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            Gemm.Multiply(single, s.TransA, s.TransB, s.M, s.N, s.K, 1f, a, s.TransA ? s.M : s.K, b, s.TransB ? s.K : s.N, 0f, c, s.N);
            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Gemm.Multiply(false, false, 3, 5, 7, 1f, a.AsSpan(0, 21), b.AsSpan(0, 35), 0f, c.AsSpan(0, 15));
        long start = GC.GetAllocatedBytesForCurrentThread();
        Gemm.Multiply(false, false, 3, 5, 7, 1f, a.AsSpan(0, 21), b.AsSpan(0, 35), 0f, c.AsSpan(0, 15));
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - start);
    }

    [Fact]
    public void RejectsNegativeSizesShortSpansAndSmallLeadingDimensions()
    {
        var buffer = new float[100];
        Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(false, false, -1, 2, 2, 1f, buffer, buffer, 0f, buffer));
        Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(false, false, 2, 2, -3, 1f, buffer, buffer, 0f, buffer));
        var e = Assert.Throws<ArgumentException>(() => Gemm.Multiply(false, false, 4, 5, 6, 1f, new float[23], buffer, 0f, buffer));
        Assert.Equal("a", e.ParamName);
        Assert.Contains("24", e.Message);
        Assert.Contains("23", e.Message);
        e = Assert.Throws<ArgumentException>(() => Gemm.Multiply(false, true, 4, 5, 6, 1f, buffer, new float[29], 0f, buffer));
        Assert.Equal("b", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => Gemm.Multiply(true, false, 4, 5, 6, 1f, buffer, buffer, 0f, new float[19]));
        Assert.Equal("c", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => Gemm.Multiply(false, false, 4, 5, 6, 1f, buffer, 5, buffer, 5, 0f, buffer, 5));
        Assert.Equal("lda", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => Gemm.Multiply(true, true, 4, 5, 6, 1f, buffer, 4, buffer, 5, 0f, buffer, 5));
        Assert.Equal("ldb", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => Gemm.Multiply(true, false, 4, 5, 6, 1f, buffer, 4, buffer, 5, 0f, buffer, 4));
        Assert.Equal("ldc", e.ParamName);

        // With a leading dimension, the last row only needs its own width.
        Gemm.Multiply(false, false, 2, 2, 2, 1f, new float[7], 5, new float[4], 2, 0f, new float[2 + 9], 9);
    }
}
