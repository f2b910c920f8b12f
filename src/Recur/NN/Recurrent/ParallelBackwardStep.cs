// B batch, H hidden, G gates (LSTM 4H i,f,g,o; GRU 3H r,z,n); N = sum of the lengths (packed rows)
using Recur.Kernels;
using Recur.Kernels.Recurrent;

namespace Recur.NN;

/// <summary>
/// One BPTT step of an LSTM (without projection) or GRU with its rows split across threads: each thread runs the
/// cell's backward kernel and then dH_prev (+)= dGates W_hh (packed W_hh, on its own thread) for a contiguous block
/// of rows. Rows are independent, so results are bitwise those of the serial step. Arrays at offset 0 hold one
/// step's rows ([b, ..]); the others are indexed from the step's first packed row.
/// </summary>
internal readonly record struct ParallelBackwardStep(
    CellKind Kind, int Rows, int Hidden, int HOut, int Gates, int Chunk,
    float[] PackedHh,                 // op(B) = W_hh [G, Hout], packed
    float[] GateValues, float[]? GatesHh, int GatesAt, // [b, G] activations (GRU: and h_prev W_hh^T + b_hh)
    float[]? CPrev, float[]? C, int CAt,               // [b, H] LSTM
    float[] HPrev, int HPrevAt,                        // [b, Hout] GRU
    float[] DH,                                        // [b, Hout] d loss / d h_t, from offset 0
    float[]? DC,                                       // [b, H] LSTM: d loss / d c, from offset 0, updated in place
    float[] DGatesIh, float[] DGatesHh,                // [b, G] at GatesAt, written
    float[] DHPrev)                                    // [b, Hout] from offset 0, written
{
    private static readonly GemmOptions Serial = new() { Threads = 1 };

    /// <summary>Runs the step in <paramref name="parts"/> parts.</summary>
    public void Run(int parts) => KernelThreading.For(parts, parts, this, static (step, part) => step.RunPart(part));

    private void RunPart(int part)
    {
        int r0 = part * Chunk, rows = Math.Min(Chunk, Rows - r0);
        if (rows <= 0) return;
        int g = Gates, hOut = HOut, h = Hidden;
        var dh = DH.AsSpan(r0 * hOut, rows * hOut);
        var dgi = DGatesIh.AsSpan(GatesAt + (r0 * g), rows * g);
        var dgh = DGatesHh.AsSpan(GatesAt + (r0 * g), rows * g);
        var dHPrev = DHPrev.AsSpan(r0 * hOut, rows * hOut);
        var gates = GateValues.AsSpan(GatesAt + (r0 * g), rows * g);
        if (Kind == CellKind.Lstm)
        {
            LstmCellKernel.Backward(gates, CPrev!.AsSpan(CAt + (r0 * h), rows * h), C!.AsSpan(CAt + (r0 * h), rows * h), dh,
                rows, h, DC!.AsSpan(r0 * h, rows * h), dgi);
            Gemm.MultiplyPacked(Serial, rows, hOut, g, 1f, dgh, g, PackedHh, 0f, dHPrev, hOut);
        }
        else
        {
            GruCellKernel.Backward(gates, GatesHh!.AsSpan(GatesAt + (r0 * g), rows * g), HPrev.AsSpan(HPrevAt + (r0 * hOut), rows * hOut),
                dh, rows, h, dgi, dgh, dHPrev);
            Gemm.MultiplyPacked(Serial, rows, hOut, g, 1f, dgh, g, PackedHh, 1f, dHPrev, hOut);
        }
    }
}
