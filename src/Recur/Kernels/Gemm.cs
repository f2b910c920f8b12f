// M rows of op(A) and C, N columns of op(B) and C, K inner dimension
using System.Numerics.Tensors;

namespace Recur.Kernels;

/// <summary>
/// Single-precision general matrix multiply on row-major spans: C = alpha * op(A) * op(B) + beta * C, where
/// op(X) is X or its transpose. Results do not depend on the thread count (see <see cref="KernelThreading"/>).
/// </summary>
public static class Gemm
{
    // Up to this many rows of C, plain B is read in place: packing it would cost more than its reuse saves.
    private const int DirectBMaxRows = 64;

    /// <summary>
    /// C[m, n] = alpha * op(A)[m, k] * op(B)[k, n] + beta * C, row-major with leading dimensions.
    /// A is stored [m, lda] (or [k, lda] when <paramref name="transA"/>), B is stored [k, ldb] (or [n, ldb] when
    /// <paramref name="transB"/>), C is stored [m, ldc]. When beta is 0, C is only written (NaN in C does not
    /// propagate); when alpha is 0 or k is 0, A and B are not read and C = beta * C.
    /// C must not overlap A or B.
    /// </summary>
    /// <param name="transA">Whether op(A) is the transpose of the stored A.</param>
    /// <param name="transB">Whether op(B) is the transpose of the stored B.</param>
    /// <param name="m">Rows of op(A) and C.</param>
    /// <param name="n">Columns of op(B) and C.</param>
    /// <param name="k">Columns of op(A), rows of op(B).</param>
    /// <param name="alpha">Scale of the product.</param>
    /// <param name="a">The stored A.</param>
    /// <param name="lda">Distance between rows of the stored A, at least its row width.</param>
    /// <param name="b">The stored B.</param>
    /// <param name="ldb">Distance between rows of the stored B, at least its row width.</param>
    /// <param name="beta">Scale of the previous C.</param>
    /// <param name="c">The output C, updated in place.</param>
    /// <param name="ldc">Distance between rows of C, at least n.</param>
    /// <exception cref="ArgumentException">A size is negative, a leading dimension is too small, or a span is too short.</exception>
    public static void Multiply(
        bool transA, bool transB, int m, int n, int k, float alpha, ReadOnlySpan<float> a, int lda,
        ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
        => Multiply(default, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

    /// <summary>
    /// C[m, n] = alpha * op(A)[m, k] * op(B)[k, n] + beta * C for contiguous row-major operands
    /// (lda = transA ? m : k, ldb = transB ? k : n, ldc = n). See the overload with leading dimensions.
    /// </summary>
    /// <param name="transA">Whether op(A) is the transpose of the stored A.</param>
    /// <param name="transB">Whether op(B) is the transpose of the stored B.</param>
    /// <param name="m">Rows of op(A) and C.</param>
    /// <param name="n">Columns of op(B) and C.</param>
    /// <param name="k">Columns of op(A), rows of op(B).</param>
    /// <param name="alpha">Scale of the product.</param>
    /// <param name="a">The stored A: [m, k], or [k, m] when transposed.</param>
    /// <param name="b">The stored B: [k, n], or [n, k] when transposed.</param>
    /// <param name="beta">Scale of the previous C.</param>
    /// <param name="c">The output C [m, n], updated in place.</param>
    /// <exception cref="ArgumentException">A size is negative or a span is too short.</exception>
    public static void Multiply(
        bool transA, bool transB, int m, int n, int k, float alpha, ReadOnlySpan<float> a, ReadOnlySpan<float> b,
        float beta, Span<float> c)
        => Multiply(
            default, transA, transB, m, n, k, alpha, a, Math.Max(1, transA ? m : k), b, Math.Max(1, transB ? k : n),
            beta, c, Math.Max(1, n));

    /// <summary>The public operation with internal knobs (kernel family, blocking, threads) for tests and benchmarks.</summary>
    internal static unsafe void Multiply(
        in GemmOptions options, bool transA, bool transB, int m, int n, int k, float alpha, ReadOnlySpan<float> a,
        int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        CheckOperand(nameof(a), "A", a.Length, transA ? k : m, transA ? m : k, lda, nameof(lda));
        CheckOperand(nameof(b), "B", b.Length, transB ? n : k, transB ? k : n, ldb, nameof(ldb));
        CheckOperand(nameof(c), "C", c.Length, m, n, ldc, nameof(ldc));
        if (m == 0 || n == 0)
        {
            return;
        }

        fixed (float* pa = a, pb = b, pc = c)
        {
            var problem = new GemmProblem(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
            if (k == 0 || alpha == 0f)
            {
                ScaleC(problem);
                return;
            }

            switch (options.ResolvedKernel)
            {
                case GemmKernelKind.Vector512:
                    Run<GemmMicroKernel512>(problem, options, GemmKernelKind.Vector512);
                    break;
                case GemmKernelKind.Vector256:
                    Run<GemmMicroKernel256>(problem, options, GemmKernelKind.Vector256);
                    break;
                default:
                    Run<GemmMicroKernelPortable>(problem, options, GemmKernelKind.Portable);
                    break;
            }
        }
    }

    private static void Run<TKernel>(in GemmProblem problem, in GemmOptions options, GemmKernelKind kind)
        where TKernel : struct, IGemmMicroKernel
    {
        GemmBlocking blocking = GemmBlocking.For(kind).With(options);
        bool directB = options.BMode switch
        {
            GemmBMode.Packed => false,
            GemmBMode.Direct => true,
            _ => problem.M <= DirectBMaxRows,
        };

        // Split the larger of M and N, so the operand every part packs again (A for an N split) is the smaller.
        bool splitN = problem.M <= problem.N;
        int unit = splitN ? TKernel.Nr : TKernel.Mr;
        int extent = splitN ? problem.N : problem.M;
        long flops = 2L * problem.M * problem.N * problem.K;
        int parts = KernelThreading.PartsFor(flops, (extent + unit - 1) / unit, options.Threads);
        if (parts == 1)
        {
            GemmBlocked.Run<TKernel>(problem, blocking, directB);
            return;
        }

        var job = new GemmJob(problem, blocking, directB, splitN, GemmBlocking.RoundUp((extent + parts - 1) / parts, unit));
        KernelThreading.For(parts, job, static (job, part) => job.Run<TKernel>(part));
    }

    private static unsafe void ScaleC(in GemmProblem problem)
    {
        if (problem.Beta == 1f)
        {
            return;
        }

        for (int i = 0; i < problem.M; i++)
        {
            var row = new Span<float>(problem.C + (i * problem.Ldc), problem.N);
            if (problem.Beta == 0f)
            {
                row.Clear();
            }
            else
            {
                TensorPrimitives.Multiply(row, problem.Beta, row);
            }
        }
    }

    private static void CheckOperand(string param, string name, int length, int rows, int cols, int ld, string ldParam)
    {
        if (ld < Math.Max(1, cols))
        {
            throw new ArgumentException(
                $"{ldParam} is {ld} but stored {name} has rows of {cols} elements: expected {ldParam} >= {Math.Max(1, cols)}.",
                ldParam);
        }

        long needed = rows == 0 || cols == 0 ? 0 : ((long)(rows - 1) * ld) + cols;
        if (length < needed)
        {
            throw new ArgumentException(
                $"{param} has {length} elements but stored {name} [{rows} x {cols}] with {ldParam} = {ld} needs {needed}.",
                param);
        }
    }

    // One part of a threaded GEMM: a contiguous, unit-aligned range of rows or columns of C.
    private readonly struct GemmJob(GemmProblem problem, GemmBlocking blocking, bool directB, bool splitN, int chunk)
    {
        public void Run<TKernel>(int part)
            where TKernel : struct, IGemmMicroKernel
        {
            int start = part * chunk;
            int extent = splitN ? problem.N : problem.M;
            int length = Math.Min(chunk, extent - start);
            if (length <= 0)
            {
                return;
            }

            GemmProblem block = splitN
                ? problem.Block(0, problem.M, start, length)
                : problem.Block(start, length, 0, problem.N);
            GemmBlocked.Run<TKernel>(block, blocking, directB);
        }
    }
}
