// M rows of op(A) and C, N columns of op(B) and C, K inner dimension
namespace Recur.Kernels;

/// <summary>
/// One validated GEMM call on pinned memory: C = alpha * op(A) * op(B) + beta * C, row-major, with leading
/// dimensions. A sub-block over a range of rows and columns of C is again a problem of the same form.
/// </summary>
internal readonly unsafe struct GemmProblem
{
    public GemmProblem(
        bool transA, bool transB, int m, int n, int k, float alpha, float* a, nint lda, float* b, nint ldb, float beta, float* c, nint ldc)
    {
        TransA = transA;
        TransB = transB;
        M = m;
        N = n;
        K = k;
        Alpha = alpha;
        A = a;
        Lda = lda;
        B = b;
        Ldb = ldb;
        Beta = beta;
        C = c;
        Ldc = ldc;
    }

    public bool TransA { get; }

    public bool TransB { get; }

    public int M { get; }

    public int N { get; }

    public int K { get; }

    public float Alpha { get; }

    public float* A { get; }

    public nint Lda { get; }

    public float* B { get; }

    public nint Ldb { get; }

    public float Beta { get; }

    public float* C { get; }

    public nint Ldc { get; }

    /// <summary>The problem restricted to rows [row0, row0 + rows) and columns [col0, col0 + cols) of C.</summary>
    /// <summary>
    /// Panel width when B was packed ahead by <see cref="Gemm.PackB"/> ([panel][K][Nr], col0 of a block a multiple
    /// of it), else 0.
    /// </summary>
    public int PackedNr { get; init; }

    public GemmProblem Block(int row0, int rows, int col0, int cols)
    {
        float* a = TransA ? A + row0 : A + (row0 * Lda);
        float* b = PackedNr > 0 ? B + ((nint)(col0 / PackedNr) * K * PackedNr) : TransB ? B + (col0 * Ldb) : B + col0;
        return new GemmProblem(TransA, TransB, rows, cols, K, Alpha, a, Lda, b, Ldb, Beta, C + (row0 * Ldc) + col0, Ldc) { PackedNr = PackedNr };
    }

    /// <summary>A pointer to op(A)[row, p].</summary>
    public float* AAt(int row, int p) => TransA ? A + (p * Lda) + row : A + (row * Lda) + p;

    /// <summary>A pointer to op(B)[p, col].</summary>
    public float* BAt(int p, int col) =>
        PackedNr > 0 ? B + ((nint)(col / PackedNr) * K * PackedNr) + (p * PackedNr) + (col % PackedNr)
        : TransB ? B + (col * Ldb) + p : B + (p * Ldb) + col;
}
