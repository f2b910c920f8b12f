// B batch, H hidden, G gates (LSTM 4H i,f,g,o; GRU 3H r,z,n); N = sum of the lengths (packed rows)
using Recur.Kernels;
using Recur.Kernels.Recurrent;

namespace Recur.NN;

/// <summary>
/// One forward step of an LSTM (without projection) or GRU with its rows split across threads: each thread runs the
/// recurrent GEMM (packed W_hh^T, on its own thread) and then the cell kernel for a contiguous block of rows, so
/// both cores stay busy through the pointwise part too, with one fork per step. Rows are independent and the GEMM
/// computes every element the same way whatever the split, so results are bitwise those of the serial step.
/// Offsets are in elements of the storage arrays.
/// </summary>
internal readonly record struct ParallelStep(
    CellKind Kind, int Rows, int Hidden, int HOut, int Gates, int Chunk,
    float[] PackedHh,        // op(B) = W_hh^T [Hout, G], packed
    float[]? CellBias,       // [G] LSTM b_ih + b_hh, GRU b_ih (null: none)
    float[] HPrev, int HPrevAt,   // [b, Hout]
    float[] GatesIh, int GatesAt, // [b, G] preactivations in, activations out
    float[]? GatesHh,             // [b, G] GRU: h_prev W_hh^T + b_hh, same offset as GatesIh
    Tensor? BiasHh,               // [G] GRU
    float[]? CPrev, float[]? C, int CAt, // [b, H] LSTM
    float[] Output, int OutputAt,        // [b, Hout]
    int CarriedHAt = -1, int CarriedCAt = -1) // >= 0: copy each part's h_prev from Output / c_prev from C at these offsets first
{
    private static readonly GemmOptions Serial = new() { Threads = 1 };

    /// <summary>How many parts a step of <paramref name="rows"/> rows should run in (1 = stay serial).</summary>
    public static int Parts(int rows, int gates, int hOut)
    {
        if (!PackedWeights.UsesPacked(rows)) return 1;
        int parts = KernelThreading.ThreadsFor(2L * rows * gates * hOut);
        return Math.Min(parts, rows / GemmMicroKernel512.Mr);
    }

    /// <summary>Rows per part: an even share of <paramref name="rows"/>, rounded up to the GEMM's row tile.</summary>
    public static int RowsPerPart(int rows, int parts)
    {
        int chunk = (rows + parts - 1) / parts;
        return (chunk + GemmMicroKernel512.Mr - 1) / GemmMicroKernel512.Mr * GemmMicroKernel512.Mr;
    }

    /// <summary>Runs the step in <paramref name="parts"/> parts.</summary>
    public void Run(int parts) => KernelThreading.For(parts, parts, this, static (step, part) => step.RunPart(part));

    private void RunPart(int part)
    {
        int r0 = part * Chunk, rows = Math.Min(Chunk, Rows - r0);
        if (rows <= 0) return;
        int g = Gates, hOut = HOut, h = Hidden;
        var hPrev = HPrev.AsSpan(HPrevAt + (r0 * hOut), rows * hOut);
        // Every row carried over from the previous step: each part copies its own rows (still in its core's cache).
        if (CarriedHAt >= 0) Output.AsSpan(CarriedHAt + (r0 * hOut), rows * hOut).CopyTo(hPrev);
        if (CarriedCAt >= 0) C!.AsSpan(CarriedCAt + (r0 * h), rows * h).CopyTo(CPrev!.AsSpan(CAt + (r0 * h), rows * h));
        var gates = GatesIh.AsSpan(GatesAt + (r0 * g), rows * g);
        var output = Output.AsSpan(OutputAt + (r0 * hOut), rows * hOut);
        if (Kind == CellKind.Lstm)
        {
            Gemm.MultiplyPacked(Serial, rows, g, hOut, 1f, hPrev, hOut, PackedHh, 1f, gates, g);
            var cPrev = CPrev!.AsSpan(CAt + (r0 * h), rows * h);
            var c = C!.AsSpan(CAt + (r0 * h), rows * h);
            LstmCellKernel.Forward(gates, CellBias, cPrev, rows, h, c, output);
        }
        else
        {
            var gh = GatesHh!.AsSpan(GatesAt + (r0 * g), rows * g);
            Gemm.MultiplyPacked(Serial, rows, g, hOut, 1f, hPrev, hOut, PackedHh, 0f, gh, g);
            GruCellKernel.Forward(gates, CellBias, gh, BiasHh is null ? default : BiasHh.Span, hPrev, rows, h, output);
        }
    }
}
