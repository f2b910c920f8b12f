// M rows of op(A) and C, N columns of op(B) and C, K inner dimension
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace Recur.Kernels;

/// <summary>
/// Single-precision general matrix multiply on row-major spans: C = alpha * op(A) * op(B) + beta * C, where
/// op(X) is X or its transpose. Results do not depend on the thread count (see <see cref="KernelThreading"/>).
/// </summary>
public static partial class Gemm
{
    // Up to this many rows of C, plain B is read in place: packing it would cost more than its reuse saves.
    private const int DirectBMaxRows = 64;

    // Column unit of a threaded split on the small-M paths (a multiple of 4 vectors of every width).
    private const int SmallPathColumns = 64;

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

            Run(problem, options);
        }
    }

    private static void Run(in GemmProblem problem, in GemmOptions options)
    {
        GemmKernelKind kind = options.ResolvedKernel;
        (int mr, int nr) = Tile(kind);
        GemmPath path = options.BlockedOnly || problem.PackedNr > 0 ? GemmPath.Blocked
            : !problem.TransB && problem.M <= GemmSmallRows.MaxRows ? GemmPath.SmallRows
            : problem.TransB && problem.M <= GemmSmallDot.MaxRows ? GemmPath.SmallDot
            : GemmPath.Blocked;
        bool directB = options.BMode switch
        {
            GemmBMode.Packed => false,
            GemmBMode.Direct => true,
            _ => problem.M <= DirectBMaxRows,
        };
        var job = new GemmJob(problem, GemmBlocking.For(kind).With(options), kind, path, directB);

        long flops = 2L * problem.M * problem.N * problem.K;
        int threads = KernelThreading.ThreadsFor(flops, options.Threads);

        // Split C into one independent column (or row) range per thread, each packing its own operands. The
        // larger of M and N is split, so that the operand every part packs again (A for an N split) is the
        // smaller; units keep every part's tiles aligned with the whole problem's.
        bool splitN = path != GemmPath.Blocked || problem.M <= problem.N || problem.PackedNr > 0;
        int unit = path != GemmPath.Blocked ? SmallPathColumns : splitN ? nr : mr;
        int extent = splitN ? problem.N : problem.M;
        int parts = Math.Min(threads, (extent + unit - 1) / unit);
        if (parts == 1)
        {
            job.Execute(problem);
            return;
        }

        job = job with { SplitN = splitN, Chunk = GemmBlocking.RoundUp((extent + parts - 1) / parts, unit) };
        KernelThreading.For(parts, parts, job, static (job, part) => job.RunPart(part));
    }

    private static (int Mr, int Nr) Tile(GemmKernelKind kind) => kind switch
    {
        GemmKernelKind.Vector512 => (GemmMicroKernel512.Mr, GemmMicroKernel512.Nr),
        GemmKernelKind.Vector256 => (GemmMicroKernel256.Mr, GemmMicroKernel256.Nr),
        _ => (GemmMicroKernelPortable.Mr, GemmMicroKernelPortable.Nr),
    };

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

    // One GEMM on the path chosen for the whole problem; as a part of a threaded run, a contiguous unit-aligned
    // range of rows or columns of C.
    private readonly record struct GemmJob(GemmProblem Problem, GemmBlocking Blocking, GemmKernelKind Kind, GemmPath Path, bool DirectB)
    {
        public bool SplitN { get; init; }

        public int Chunk { get; init; }

        public void RunPart(int part)
        {
            int start = part * Chunk;
            int length = Math.Min(Chunk, (SplitN ? Problem.N : Problem.M) - start);
            if (length > 0)
            {
                Execute(SplitN ? Problem.Block(0, Problem.M, start, length) : Problem.Block(start, length, 0, Problem.N));
            }
        }

        public void Execute(in GemmProblem block)
        {
            switch (Kind, Path)
            {
                case (GemmKernelKind.Vector512, GemmPath.Blocked):
                    GemmBlocked.Run<GemmMicroKernel512>(block, Blocking, DirectB);
                    break;
                case (GemmKernelKind.Vector256, GemmPath.Blocked):
                    GemmBlocked.Run<GemmMicroKernel256>(block, Blocking, DirectB);
                    break;
                case (_, GemmPath.Blocked):
                    GemmBlocked.Run<GemmMicroKernelPortable>(block, Blocking, DirectB);
                    break;
                case (GemmKernelKind.Vector512, GemmPath.SmallRows):
                    GemmSmallRows.Run<SimdVector512, Vector512<float>>(block);
                    break;
                case (GemmKernelKind.Vector256, GemmPath.SmallRows):
                    GemmSmallRows.Run<SimdVector256, Vector256<float>>(block);
                    break;
                case (_, GemmPath.SmallRows):
                    GemmSmallRows.Run<SimdVector128, Vector128<float>>(block);
                    break;
                case (GemmKernelKind.Vector512, _):
                    GemmSmallDot.Run<SimdVector512, Vector512<float>>(block);
                    break;
                case (GemmKernelKind.Vector256, _):
                    GemmSmallDot.Run<SimdVector256, Vector256<float>>(block);
                    break;
                default:
                    GemmSmallDot.Run<SimdVector128, Vector128<float>>(block);
                    break;
            }
        }
    }
}
