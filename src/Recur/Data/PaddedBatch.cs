// B batch, T time (the longest length in the batch), F features
namespace Recur.Data;

/// <summary>
/// Pads a batch of variable-length examples into one time-major block, with each example's length, as the recurrent
/// layers take them (element t * B + b is example b's step t; steps past an example's length hold padding).
/// </summary>
public static class PaddedBatch
{
    /// <summary>
    /// Token ids of the examples <paramref name="batch"/> (indices into <paramref name="sequences"/>) as [T, B],
    /// padded with <paramref name="padId"/>. T is the longest length in the batch; with <paramref name="maxLength"/>
    /// longer examples keep their first maxLength tokens.
    /// </summary>
    /// <exception cref="ArgumentException">The batch is empty, an example is empty, or maxLength is below 1.</exception>
    public static PaddedTokens Tokens(IReadOnlyList<int[]> sequences, ReadOnlySpan<int> batch, int padId, int? maxLength = null)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        int b = batch.Length;
        int[] lengths = Lengths(batch, i => sequences[i]?.Length ?? throw new ArgumentException($"Sequence {i} is null.", nameof(sequences)), maxLength);
        int t = lengths.Max();
        var ids = new int[t * b]; // [T, B]
        ids.AsSpan().Fill(padId);
        for (int j = 0; j < b; j++)
        {
            int[] s = sequences[batch[j]];
            for (int step = 0; step < lengths[j]; step++) ids[step * b + j] = s[step];
        }
        return new PaddedTokens(ids, lengths, t, b);
    }

    /// <summary>
    /// Series of the examples <paramref name="batch"/> as [T, B, F], zero-padded: <paramref name="values"/>[i] is
    /// example i's [T_i, F] values (time-major), <paramref name="lengths"/>[i] its T_i. With
    /// <paramref name="maxLength"/> longer examples keep their first maxLength steps.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// The batch is empty, an example is empty, its values are not lengths[i] * F long, or maxLength is below 1.
    /// </exception>
    public static PaddedSeries Series(IReadOnlyList<float[]> values, IReadOnlyList<int> lengths, int features, ReadOnlySpan<int> batch, int? maxLength = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(lengths);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(features);
        if (values.Count != lengths.Count)
            throw new ArgumentException($"{values.Count} series but {lengths.Count} lengths.", nameof(lengths));
        int[] clipped = Lengths(batch, i =>
        {
            int n = lengths[i];
            if (values[i] is not { } v || (long)n * features != v.Length)
                throw new ArgumentException($"Series {i} should hold {n} x {features} values but holds {values[i]?.Length.ToString() ?? "null"}.", nameof(values));
            return n;
        }, maxLength);
        int b = batch.Length, t = clipped.Max();
        var block = new float[checked(t * b * features)]; // [T, B, F]
        for (int j = 0; j < b; j++)
        {
            float[] v = values[batch[j]];
            for (int step = 0; step < clipped[j]; step++)
                v.AsSpan(step * features, features).CopyTo(block.AsSpan((step * b + j) * features, features));
        }
        return new PaddedSeries(block, clipped, t, b, features);
    }

    private static int[] Lengths(ReadOnlySpan<int> batch, Func<int, int> length, int? maxLength)
    {
        if (batch.Length == 0) throw new ArgumentException("A batch needs at least one example.", nameof(batch));
        if (maxLength is int m && m < 1) throw new ArgumentException($"Expected a positive maximum length but got {m}.", nameof(maxLength));
        var lengths = new int[batch.Length];
        for (int j = 0; j < batch.Length; j++)
        {
            int n = length(batch[j]);
            if (n == 0) throw new ArgumentException($"Example {batch[j]} is empty; a zero-length sequence cannot be batched.", nameof(batch));
            lengths[j] = maxLength is int max ? Math.Min(n, max) : n;
        }
        return lengths;
    }
}

/// <summary>A padded batch of token ids: <see cref="Ids"/> [T, B], element t * B + b.</summary>
/// <param name="Ids">[T, B] token ids, padding past each length.</param>
/// <param name="Lengths">[B] each example's length (clipped to the maximum length).</param>
/// <param name="Steps">T: the longest length.</param>
/// <param name="BatchSize">B.</param>
public sealed record PaddedTokens(int[] Ids, int[] Lengths, int Steps, int BatchSize);

/// <summary>A padded batch of series: <see cref="Values"/> [T, B, F], element (t * B + b) * F + f.</summary>
/// <param name="Values">[T, B, F] values, zeros past each length.</param>
/// <param name="Lengths">[B] each example's length (clipped to the maximum length).</param>
/// <param name="Steps">T: the longest length.</param>
/// <param name="BatchSize">B.</param>
/// <param name="Features">F.</param>
public sealed record PaddedSeries(float[] Values, int[] Lengths, int Steps, int BatchSize, int Features);
