// V vocabulary, D embedding size
using Recur.Data;
using Recur.NN;

namespace Recur.Models;

/// <summary>Puts pretrained word vectors into an <see cref="Embedding"/>.</summary>
public static class EmbeddingVectors
{
    /// <summary>
    /// Copies the rows of <paramref name="vectors"/> that were found into <paramref name="embedding"/>'s table (the
    /// other rows keep their initialization; the padding row stays zero), and freezes the table when
    /// <paramref name="freeze"/>. Returns the number of rows copied.
    /// </summary>
    /// <exception cref="ArgumentException">The vectors' size or count does not match the table.</exception>
    public static int Load(Embedding embedding, WordVectors vectors, bool freeze = false)
    {
        ArgumentNullException.ThrowIfNull(embedding);
        ArgumentNullException.ThrowIfNull(vectors);
        if (vectors.Dimension != embedding.EmbeddingDim)
            throw new ArgumentException($"the word vectors have {vectors.Dimension} dimensions but the embedding has {embedding.EmbeddingDim}; use --embedding-size {vectors.Dimension}.");
        if (vectors.Found.Length != embedding.NumEmbeddings)
            throw new ArgumentException($"the word vectors cover {vectors.Found.Length} words but the embedding has {embedding.NumEmbeddings} rows.");
        var table = embedding.Weight.Value;
        int copied = 0;
        for (int v = 0; v < vectors.Found.Length; v++)
        {
            if (!vectors.Found[v] || v == embedding.PaddingIndex) continue;
            vectors.Vectors[v].Span.CopyTo(table[v].Span);
            copied++;
        }
        embedding.Weight.MarkChanged();
        if (freeze) embedding.Freeze();
        return copied;
    }
}
