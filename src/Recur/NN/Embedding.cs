using System.Text.Json.Nodes;
using Recur.Autograd;

namespace Recur.NN;

/// <summary>
/// A lookup table <c>weight</c> [V, D] initialized N(0, 1) as PyTorch's. The optional padding row is zero and
/// never receives a gradient, so it stays zero through training.
/// </summary>
public sealed class Embedding : Module, IRebuildable
{
    /// <summary>Creates the table; <paramref name="rng"/> defaults to <see cref="RandomGenerator.Default"/>.</summary>
    public Embedding(int numEmbeddings, int embeddingDim, int? paddingIndex = null, RandomGenerator? rng = null)
    {
        if (numEmbeddings <= 0) throw new ArgumentOutOfRangeException(nameof(numEmbeddings), $"Expected a positive table size but got {numEmbeddings}.");
        if (embeddingDim <= 0) throw new ArgumentOutOfRangeException(nameof(embeddingDim), $"Expected a positive embedding size but got {embeddingDim}.");
        if (paddingIndex is int pi && (pi < -numEmbeddings || pi >= numEmbeddings))
            throw new ArgumentOutOfRangeException(nameof(paddingIndex), $"Padding index {pi} is outside [-{numEmbeddings}, {numEmbeddings}).");
        if ((long)numEmbeddings * embeddingDim > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(embeddingDim), $"A table of [{numEmbeddings}, {embeddingDim}] has more elements than an array can hold.");
        rng ??= RandomGenerator.Default;
        NumEmbeddings = numEmbeddings;
        EmbeddingDim = embeddingDim;
        PaddingIndex = paddingIndex is int p && p < 0 ? p + numEmbeddings : paddingIndex;
        var w = rng.Normal(0f, 1f, numEmbeddings, embeddingDim);
        if (PaddingIndex is int row) w[row].Clear();
        Weight = RegisterParameter("weight", new Parameter(w));
    }

    /// <summary>Table size V.</summary>
    public int NumEmbeddings { get; }

    /// <summary>Vector size D.</summary>
    public int EmbeddingDim { get; }

    /// <summary>The padding row, if any.</summary>
    public int? PaddingIndex { get; }

    /// <summary>[V, D]</summary>
    public Parameter Weight { get; }

    /// <summary>
    /// Looks up <paramref name="indices"/> (shape <paramref name="indexShape"/>; a 1-D [N] when no shape is given),
    /// giving [..indexShape, D].
    /// </summary>
    public Variable Forward(int[] indices, params int[] indexShape)
    {
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentNullException.ThrowIfNull(indexShape);
        return Ops.Embedding(Weight, indices, indexShape.Length == 0 ? [indices.Length] : indexShape, PaddingIndex);
    }

    /// <summary>Freezes the table (no gradient, so optimizers leave it as it is) or makes it trainable again.</summary>
    public void Freeze(bool frozen = true) => Weight.Freeze(frozen);

    /// <inheritdoc/>
    protected override string ExtraRepr() => PaddingIndex is int p ? $"{NumEmbeddings}, {EmbeddingDim}, padding_idx={p}" : $"{NumEmbeddings}, {EmbeddingDim}";

    /// <inheritdoc/>
    public JsonObject GetConfig()
    {
        var o = new JsonObject { ["num_embeddings"] = NumEmbeddings, ["embedding_dim"] = EmbeddingDim };
        if (PaddingIndex is int p) o["padding_idx"] = p;
        return o;
    }
}
