// M rows of op(A) and C, N columns of op(B) and C, K inner dimension
namespace Recur.Kernels;

/// <summary>
/// A register-blocked GEMM micro-kernel: updates one Mr x Nr tile of C from a packed A panel and a B panel.
/// Every element of the tile is accumulated as acc = fma(a[i, p], b[p, j], acc) for p = 0..kc-1 in order, then
/// written as C = alpha * acc (beta == 0) or C = beta * C + alpha * acc, so all kernels agree element by element.
/// </summary>
internal unsafe interface IGemmMicroKernel
{
    /// <summary>Rows of the C tile (and floats per k step of the packed A panel).</summary>
    static abstract int Mr { get; }

    /// <summary>Columns of the C tile (and the width of a B panel row).</summary>
    static abstract int Nr { get; }

    /// <summary>
    /// Updates rows 0..rows-1 (rows in 1..Mr) of the Nr-wide tile at <paramref name="c"/>.
    /// <paramref name="a"/>: packed panel [kc, Mr]; <paramref name="b"/>: kc rows of Nr floats, <paramref name="ldb"/> apart.
    /// </summary>
    static abstract void Run(int rows, int kc, float* a, float* b, nint ldb, float* c, nint ldc, float alpha, float beta);
}

/// <summary>A compile-time row count, so one generic tile body specializes to every edge height.</summary>
internal interface IGemmRows
{
    /// <summary>The number of rows.</summary>
    static abstract int Value { get; }
}

internal readonly struct GemmRows1 : IGemmRows { public static int Value => 1; }
internal readonly struct GemmRows2 : IGemmRows { public static int Value => 2; }
internal readonly struct GemmRows3 : IGemmRows { public static int Value => 3; }
internal readonly struct GemmRows4 : IGemmRows { public static int Value => 4; }
internal readonly struct GemmRows5 : IGemmRows { public static int Value => 5; }
internal readonly struct GemmRows6 : IGemmRows { public static int Value => 6; }
internal readonly struct GemmRows7 : IGemmRows { public static int Value => 7; }
internal readonly struct GemmRows8 : IGemmRows { public static int Value => 8; }
internal readonly struct GemmRows9 : IGemmRows { public static int Value => 9; }
internal readonly struct GemmRows10 : IGemmRows { public static int Value => 10; }
internal readonly struct GemmRows11 : IGemmRows { public static int Value => 11; }
internal readonly struct GemmRows12 : IGemmRows { public static int Value => 12; }
internal readonly struct GemmRows13 : IGemmRows { public static int Value => 13; }
internal readonly struct GemmRows14 : IGemmRows { public static int Value => 14; }
