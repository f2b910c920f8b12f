// M rows of op(A) and C, N columns of op(B) and C, K inner dimension
using System.Runtime.Intrinsics;
using Recur.Kernels;
using Recur.Kernels.Reference;

namespace Recur.Tests.Kernels;

public class GemmTests
{
    private static readonly (float Alpha, float Beta)[] Scales = [(1f, 0f), (1f, 1f), (0.5f, -2f), (-1.5f, 0f), (2f, 0.25f)];

    // Kernel families this machine runs natively (forcing one that is not accelerated works, but slowly).
    public static TheoryData<string> Kernels() => new(AvailableKernels().Select(kernel => kernel.ToString()));

    internal static IEnumerable<GemmKernelKind> AvailableKernels()
    {
        yield return GemmKernelKind.Portable;
        if (Vector256.IsHardwareAccelerated && System.Runtime.Intrinsics.X86.Fma.IsSupported)
        {
            yield return GemmKernelKind.Vector256;
        }

        if (Vector512.IsHardwareAccelerated)
        {
            yield return GemmKernelKind.Vector512;
        }
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void OddShapesMatchReferenceForEveryTransposeAndBlocking(string kernelName)
    {
        GemmKernelKind kernel = Enum.Parse<GemmKernelKind>(kernelName);
        int[] sizes = [1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 13, 15, 16, 17, 24, 31, 32, 33, 40, 47, 63, 64, 65, 70];
        var random = new Random(17);
        var tiny = new GemmOptions { Kernel = kernel, Kc = 5, Mc = 2, Nc = 40, BlockedOnly = true };
        for (int trial = 0; trial < 160; trial++)
        {
            int m = sizes[random.Next(sizes.Length)];
            int n = sizes[random.Next(sizes.Length)];
            int k = sizes[random.Next(sizes.Length)];
            bool transA = (trial & 1) != 0;
            bool transB = (trial & 2) != 0;
            (float alpha, float beta) = Scales[trial % Scales.Length];
            GemmOptions options = (trial / 4 % 4) switch
            {
                0 => new GemmOptions { Kernel = kernel },
                1 => tiny,
                2 => tiny with { BMode = GemmBMode.Direct, Kc = 7 },
                _ => new GemmOptions { Kernel = kernel, BMode = GemmBMode.Packed, Threads = 3, Nc = 64 },
            };
            CheckAgainstReference(options, transA, transB, m, n, k, alpha, beta, pad: trial % 3, seed: trial);
        }
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void SmallRowPathsMatchReference(string kernelName)
    {
        GemmKernelKind kernel = Enum.Parse<GemmKernelKind>(kernelName);
        int[] widths = [1, 3, 4, 7, 8, 15, 16, 17, 31, 63, 64, 65, 130];
        int[] depths = [1, 3, 4, 7, 8, 15, 16, 17, 33, 100];
        var random = new Random(41);
        for (int trial = 0; trial < 240; trial++)
        {
            int m = 1 + random.Next(GemmSmallDot.MaxRows + 2);
            int n = widths[random.Next(widths.Length)];
            int k = depths[random.Next(depths.Length)];
            (float alpha, float beta) = Scales[trial % Scales.Length];
            var options = new GemmOptions { Kernel = kernel, Threads = 1 + (trial % 3) };
            CheckAgainstReference(options, (trial & 1) != 0, (trial & 2) != 0, m, n, k, alpha, beta, pad: trial % 4, seed: trial);
        }
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void ShapesAroundTilesAndDefaultBlocksMatchReference(string kernelName)
    {
        GemmKernelKind kernel = Enum.Parse<GemmKernelKind>(kernelName);
        var options = new GemmOptions { Kernel = kernel };
        GemmBlocking blocking = GemmBlocking.For(kernel);
        (int Mr, int Nr) tile = Tile(kernel);
        int seed = 0;
        foreach (bool transA in new[] { false, true })
        {
            foreach (bool transB in new[] { false, true })
            {
                CheckAgainstReference(options, transA, transB, tile.Mr - 1, tile.Nr + 1, blocking.Kc + 1, 1f, 0f, 1, seed++);
                CheckAgainstReference(options, transA, transB, tile.Mr + 1, tile.Nr - 1, blocking.Kc - 1, 1f, 1f, 0, seed++);
                CheckAgainstReference(options, transA, transB, blocking.Mc + 1, 2 * tile.Nr + 3, (2 * blocking.Kc) + 1, -1f, 0.5f, 2, seed++);
                CheckAgainstReference(options, transA, transB, 3, blocking.Nc + 5, 9, 1f, 0f, 0, seed++);
                CheckAgainstReference(options, transA, transB, 65, 33, 129, 0.75f, 0f, 5, seed++);
            }
        }
    }

    [Fact]
    public void ThreadsSharingOnePackedBMatchReference()
    {
        // Tall enough for the shared-B schedule; small Kc and Nc give several pack steps per call.
        int seed = 0;
        foreach (bool transA in new[] { false, true })
        {
            foreach (bool transB in new[] { false, true })
            {
                var options = new GemmOptions { Threads = 2, Kc = 24, Nc = 64 };
                CheckAgainstReference(options, transA, transB, 530, 77, 61, 1f, 0f, 1, seed++);
                CheckAgainstReference(options with { Threads = 3, BMode = GemmBMode.Direct }, transA, transB, 800, 45, 30, 0.5f, 1f, 0, seed++);
            }
        }
    }

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
    [InlineData(1100, 40, 50)]
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
                foreach ((int threads, bool independent) in new[] { (1, false), (2, false), (2, true), (3, true), (4, false), (7, true) })
                {
                    var c = (float[])c0.Clone();
                    var options = new GemmOptions { Threads = threads, Kc = 48, Mc = 40, IndependentParts = independent };
                    Gemm.Multiply(options, transA, transB, m, n, k, 0.5f, a, transA ? m : k, b, transB ? k : n, 1f, c, n);
                    single ??= c;
                    KernelTestData.AssertBitwiseEqual(single, c, $"threads={threads} independent={independent} transA={transA} transB={transB}");
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
        foreach (GemmKernelKind kernel in AvailableKernels())
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

    internal static (int Mr, int Nr) Tile(GemmKernelKind kernel) => kernel switch
    {
        GemmKernelKind.Vector512 => (GemmMicroKernel512.Mr, GemmMicroKernel512.Nr),
        GemmKernelKind.Vector256 => (GemmMicroKernel256.Mr, GemmMicroKernel256.Nr),
        _ => (GemmMicroKernelPortable.Mr, GemmMicroKernelPortable.Nr),
    };

    // Runs one case on slices starting at odd offsets with padded leading dimensions, and checks every element of
    // C's storage: inside op(A)op(B) within (k + 3) float epsilons of sum |alpha a b| + |beta c|, padding untouched.
    private static void CheckAgainstReference(
        GemmOptions options, bool transA, bool transB, int m, int n, int k, float alpha, float beta, int pad, int seed)
    {
        var random = new Random(seed);
        int lda = (transA ? m : k) + pad + (pad > 0 ? 1 : 0);
        int ldb = (transB ? k : n) + pad;
        int ldc = n + (2 * pad);
        lda = Math.Max(lda, 1);
        ldb = Math.Max(ldb, 1);
        ldc = Math.Max(ldc, 1);
        int offA = 1 + (seed % 7), offB = 1 + ((seed / 7) % 7), offC = 1 + ((seed / 3) % 7);
        float[] a = KernelTestData.Uniform(random, offA + ((transA ? k : m) * lda));
        float[] b = KernelTestData.Uniform(random, offB + ((transB ? n : k) * ldb));
        float[] c = KernelTestData.Uniform(random, offC + (m * ldc), 2f);
        if (beta == 0f)
        {
            for (int i = 0; i < c.Length; i += 3)
            {
                c[i] = float.NaN;
            }
        }

        float[] expected = (float[])c.Clone();
        ReferenceGemm.Multiply(transA, transB, m, n, k, alpha, a.AsSpan(offA), lda, b.AsSpan(offB), ldb, beta, expected.AsSpan(offC), ldc);
        float[] magnitude = c.Select(x => float.IsNaN(x) ? 0f : Math.Abs(x)).ToArray();
        ReferenceGemm.Multiply(
            transA, transB, m, n, k, Math.Abs(alpha), a.Select(Math.Abs).ToArray().AsSpan(offA), lda,
            b.Select(Math.Abs).ToArray().AsSpan(offB), ldb, Math.Abs(beta), magnitude.AsSpan(offC), ldc);

        Gemm.Multiply(options, transA, transB, m, n, k, alpha, a.AsSpan(offA), lda, b.AsSpan(offB), ldb, beta, c.AsSpan(offC), ldc);

        float tolerance = (k + 3) * 1.2e-7f;
        for (int i = 0; i < c.Length; i++)
        {
            bool inside = i >= offC && (i - offC) / ldc < m && (i - offC) % ldc < n;
            float bound = inside ? (tolerance * magnitude[i]) + 1e-30f : 0f;
            bool ok = float.IsNaN(expected[i]) ? float.IsNaN(c[i]) : Math.Abs(c[i] - expected[i]) <= bound;
            Assert.True(
                ok,
                $"{options} transA={transA} transB={transB} m={m} n={n} k={k} alpha={alpha} beta={beta} pad={pad}: " +
                $"storage {i} expected {expected[i]:R} got {c[i]:R}");
        }
    }
}
