// B batch, T time, I input, H hidden, P projection, G gates (LSTM 4H i,f,g,o; GRU 3H r,z,n), L layers, D directions
// N = sum of the lengths (packed rows, see SequenceLayout); F any feature width.
using System.Numerics.Tensors;

namespace Recur.NN;

/// <summary>Moves rows between the caller's padded layout and the packed, length-sorted layout of <see cref="SequenceLayout"/>.</summary>
internal static class PackedRows
{
    /// <summary>Row of (step t, batch index b) in a padded [T, B, F] (or [B, T, F] when batch-first) tensor.</summary>
    private static int PaddedRow(SequenceLayout layout, bool batchFirst, int t, int b) =>
        batchFirst ? (b * layout.Steps) + t : (t * layout.Batch) + b;

    /// <summary>packed [N, F] = the active rows of padded [T, B, F] / [B, T, F].</summary>
    public static void Gather(ReadOnlySpan<float> padded, SequenceLayout layout, bool batchFirst, int f, Span<float> packed)
    {
        for (int t = 0; t < layout.Steps; t++)
            for (int s = 0; s < layout.BatchSizes[t]; s++)
                padded.Slice(PaddedRow(layout, batchFirst, t, layout.Order[s]) * f, f).CopyTo(packed.Slice((layout.Offsets[t] + s) * f, f));
    }

    /// <summary>padded [T, B, F] / [B, T, F] (zero-filled by the caller) receives the packed rows.</summary>
    public static void Scatter(ReadOnlySpan<float> packed, SequenceLayout layout, bool batchFirst, int f, Span<float> padded)
    {
        for (int t = 0; t < layout.Steps; t++)
            for (int s = 0; s < layout.BatchSizes[t]; s++)
                packed.Slice((layout.Offsets[t] + s) * f, f).CopyTo(padded.Slice(PaddedRow(layout, batchFirst, t, layout.Order[s]) * f, f));
    }

    /// <summary>padded [T, B, F] / [B, T, F] += the packed rows (gradients).</summary>
    public static void ScatterAdd(ReadOnlySpan<float> packed, SequenceLayout layout, bool batchFirst, int f, Span<float> padded)
    {
        for (int t = 0; t < layout.Steps; t++)
            for (int s = 0; s < layout.BatchSizes[t]; s++)
            {
                var dst = padded.Slice(PaddedRow(layout, batchFirst, t, layout.Order[s]) * f, f);
                TensorPrimitives.Add(dst, packed.Slice((layout.Offsets[t] + s) * f, f), dst);
            }
    }

    /// <summary>sorted [B, F] = state [B, F] in sorted order (row s = original row Order[s]).</summary>
    public static void SortState(ReadOnlySpan<float> state, SequenceLayout layout, int f, Span<float> sorted)
    {
        for (int s = 0; s < layout.Batch; s++) state.Slice(layout.Order[s] * f, f).CopyTo(sorted.Slice(s * f, f));
    }

    /// <summary>state [B, F] = sorted [B, F] back in the original order.</summary>
    public static void UnsortState(ReadOnlySpan<float> sorted, SequenceLayout layout, int f, Span<float> state)
    {
        for (int s = 0; s < layout.Batch; s++) sorted.Slice(s * f, f).CopyTo(state.Slice(layout.Order[s] * f, f));
    }

    /// <summary>state [B, F] += sorted [B, F] back in the original order (gradients).</summary>
    public static void UnsortStateAdd(ReadOnlySpan<float> sorted, SequenceLayout layout, int f, Span<float> state)
    {
        for (int s = 0; s < layout.Batch; s++)
        {
            var dst = state.Slice(layout.Order[s] * f, f);
            TensorPrimitives.Add(dst, sorted.Slice(s * f, f), dst);
        }
    }

    /// <summary>Column block <paramref name="block"/> of width <paramref name="f"/> of [N, D*F] into [N, F].</summary>
    public static void TakeColumns(ReadOnlySpan<float> wide, int rows, int blocks, int block, int f, Span<float> narrow)
    {
        for (int r = 0; r < rows; r++) wide.Slice((r * blocks + block) * f, f).CopyTo(narrow.Slice(r * f, f));
    }

    /// <summary>[N, F] into column block <paramref name="block"/> of width <paramref name="f"/> of [N, D*F].</summary>
    public static void PutColumns(ReadOnlySpan<float> narrow, int rows, int blocks, int block, int f, Span<float> wide)
    {
        for (int r = 0; r < rows; r++) narrow.Slice(r * f, f).CopyTo(wide.Slice((r * blocks + block) * f, f));
    }
}
