// T time, F features
namespace Recur.Data;

/// <summary>
/// Examples ready for a sequence model: token ids (text) or scaled values [T_i, F] (series), each with its length,
/// and their class indices.
/// </summary>
public sealed class EncodedSequences
{
    /// <summary>Token sequences with their labels.</summary>
    public EncodedSequences(IReadOnlyList<int[]> tokens, IReadOnlyList<int> labels)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(labels);
        if (tokens.Count != labels.Count) throw new ArgumentException($"{tokens.Count} sequences but {labels.Count} labels.");
        Tokens = tokens;
        Labels = labels;
        Lengths = tokens.Select(t => t.Length).ToArray();
    }

    /// <summary>Series of <paramref name="features"/> features with their lengths and labels.</summary>
    public EncodedSequences(IReadOnlyList<float[]> values, IReadOnlyList<int> lengths, int features, IReadOnlyList<int> labels)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(lengths);
        ArgumentNullException.ThrowIfNull(labels);
        if (values.Count != labels.Count || lengths.Count != labels.Count) throw new ArgumentException($"{values.Count} series, {lengths.Count} lengths, {labels.Count} labels.");
        Values = values;
        Lengths = lengths;
        Features = features;
        Labels = labels;
    }

    /// <summary>The token ids of each example (text), or null.</summary>
    public IReadOnlyList<int[]>? Tokens { get; }

    /// <summary>The values [T_i, F] of each example (series), or null.</summary>
    public IReadOnlyList<float[]>? Values { get; }

    /// <summary>F (series), 0 for text.</summary>
    public int Features { get; }

    /// <summary>Each example's length T_i.</summary>
    public IReadOnlyList<int> Lengths { get; }

    /// <summary>Each example's class index.</summary>
    public IReadOnlyList<int> Labels { get; }

    /// <summary>The number of examples.</summary>
    public int Count => Labels.Count;

    /// <summary>The examples <paramref name="indices"/> as one padded batch (at most <paramref name="maxLength"/> steps each).</summary>
    public SequenceBatch Batch(ReadOnlySpan<int> indices, int? maxLength = null)
    {
        var labels = new int[indices.Length];
        for (int i = 0; i < labels.Length; i++) labels[i] = Labels[indices[i]];
        return Tokens is not null
            ? new SequenceBatch(PaddedBatch.Tokens(Tokens, indices, WordVocabulary.PadId, maxLength), null, labels, indices.ToArray())
            : new SequenceBatch(null, PaddedBatch.Series(Values!, Lengths, Features, indices, maxLength), labels, indices.ToArray());
    }
}

/// <summary>One padded batch of an <see cref="EncodedSequences"/>: tokens or series, the labels, and which examples they are.</summary>
/// <param name="Tokens">[T, B] ids with lengths (text), or null.</param>
/// <param name="Series">[T, B, F] values with lengths (series), or null.</param>
/// <param name="Labels">[B] class indices.</param>
/// <param name="Indices">[B] the examples' indices.</param>
public sealed record SequenceBatch(PaddedTokens? Tokens, PaddedSeries? Series, int[] Labels, int[] Indices)
{
    /// <summary>B.</summary>
    public int Size => Labels.Length;

    /// <summary>Each example's length in the batch.</summary>
    public int[] Lengths => Tokens?.Lengths ?? Series!.Lengths;
}
