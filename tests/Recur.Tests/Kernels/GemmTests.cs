// M rows of op(A) and C, N columns of op(B) and C, K inner dimension
using System.Runtime.Intrinsics;
using Recur.Kernels;
using Recur.Kernels.Reference;

namespace Recur.Tests.Kernels;

/// <summary>GEMM against its double-precision reference twin over transposes, odd shapes, blockings, paths and kernels.</summary>
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
