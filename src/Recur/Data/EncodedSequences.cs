// T time, F features
namespace Recur.Data;

/// <summary>
/// Examples ready for a sequence model: token ids (text) or scaled values [T_i, F] (series), each with its length,
/// and their class indices.
/// </summary>
public sealed class EncodedSequences
{
    /// <summary>
    /// Token sequences with their labels; with <paramref name="words"/> (each example's words) and
    /// <paramref name="characters"/>, every batch also spells its words (<see cref="WordCharacters"/>).
    /// </summary>
    public EncodedSequences(IReadOnlyList<int[]> tokens, IReadOnlyList<int> labels, IReadOnlyList<string[]>? words = null, CharacterTable? characters = null)
    {
        if ((words is null) != (characters is null)) throw new ArgumentException("Give both the words and the character table, or neither.");
        if (words is not null && words.Count != tokens.Count) throw new ArgumentException($"{tokens.Count} sequences but {words.Count} word lists.");
        Words = words;
        Characters = characters;
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

    /// <summary>Each example's words, for character features, or null.</summary>
    public IReadOnlyList<string[]>? Words { get; }

    /// <summary>The character table that spells the words, or null.</summary>
    public CharacterTable? Characters { get; }

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
        if (Tokens is null) return new SequenceBatch(null, PaddedBatch.Series(Values!, Lengths, Features, indices, maxLength), labels, indices.ToArray());
        var tokens = PaddedBatch.Tokens(Tokens, indices, WordVocabulary.PadId, maxLength);
        return new SequenceBatch(tokens, null, labels, indices.ToArray(), Words is null ? null : Spell(tokens, indices));
    }

    // The distinct words of the batch, each spelled once: [Tc, W] character ids (time-major, padded) with lengths,
    // and for every token [T, B] the index of its word (padding positions point at word 0; they are never read).
    private WordCharacters Spell(PaddedTokens tokens, ReadOnlySpan<int> indices)
    {
        int b = tokens.BatchSize, t = tokens.Steps;
        var types = new Dictionary<string, int>(StringComparer.Ordinal);
        var spellings = new List<int[]>();
        var tokenTypes = new int[t * b]; // [T, B]
        for (int j = 0; j < b; j++)
        {
            var words = Words![indices[j]];
            for (int step = 0; step < tokens.Lengths[j]; step++)
            {
                string w = words[step];
                if (!types.TryGetValue(w, out int type))
                {
                    type = types.Count;
                    types.Add(w, type);
                    spellings.Add(Characters!.Encode(w));
                }
                tokenTypes[(step * b) + j] = type;
            }
        }
        var chars = PaddedBatch.Tokens(spellings, Enumerable.Range(0, spellings.Count).ToArray(), CharacterTable.PadId);
        return new WordCharacters(tokenTypes, chars.Ids, chars.Lengths, chars.Steps, spellings.Count);
    }
}

/// <summary>One padded batch of an <see cref="EncodedSequences"/>: tokens or series, the labels, and which examples they are.</summary>
/// <param name="Tokens">[T, B] ids with lengths (text), or null.</param>
/// <param name="Series">[T, B, F] values with lengths (series), or null.</param>
/// <param name="Labels">[B] class indices.</param>
/// <param name="Indices">[B] the examples' indices.</param>
/// <param name="Characters">The spelling of the batch's words (text with character features), or null.</param>
public sealed record SequenceBatch(PaddedTokens? Tokens, PaddedSeries? Series, int[] Labels, int[] Indices, WordCharacters? Characters = null)
{
    /// <summary>B.</summary>
    public int Size => Labels.Length;

    /// <summary>Each example's length in the batch.</summary>
    public int[] Lengths => Tokens?.Lengths ?? Series!.Lengths;
}

/// <summary>The distinct words of a batch spelled out, and which of them each token is.</summary>
/// <param name="TokenWords">[T, B]: the index of each token's word among the batch's distinct words.</param>
/// <param name="Chars">[Tc, W] character ids of the W distinct words, time-major, padded with 0.</param>
/// <param name="Lengths">[W] each word's number of characters.</param>
/// <param name="Steps">Tc: the longest spelling.</param>
/// <param name="Words">W: distinct words in the batch.</param>
public sealed record WordCharacters(int[] TokenWords, int[] Chars, int[] Lengths, int Steps, int Words);
