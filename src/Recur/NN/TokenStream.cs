// B batch (streams), E embedding, H hidden (Hout of the top layer), V outputs of the head
using System.Numerics.Tensors;

namespace Recur.NN;

/// <summary>
/// Per-token inference through a whole model, embedding -&gt; recurrent stack -&gt; optional linear head, one time step
/// per call over preallocated buffers: <see cref="Step"/> takes one token id per stream and writes the head's outputs
/// (logits), allocating nothing. It reads the current weights (the recurrent stack repacks them when they change).
/// Only forward-only stacks stream: a bidirectional layer needs the whole sequence.
/// </summary>
public sealed class TokenStream
{
    private readonly Embedding _embedding;
    private readonly RecurrentStream _stream;
    private readonly Linear? _head;
    private readonly float[] _x; // [B, E]
    private readonly float[] _h; // [B, H]

    /// <summary>Creates a stream of <paramref name="batchSize"/> independent sequences from a zero state.</summary>
    /// <exception cref="ArgumentException">The sizes of the parts do not chain, or the stack is bidirectional.</exception>
    public TokenStream(Embedding embedding, RecurrentLayer rnn, Linear? head, int batchSize = 1)
    {
        ArgumentNullException.ThrowIfNull(embedding);
        ArgumentNullException.ThrowIfNull(rnn);
        if (rnn.InputSize != embedding.EmbeddingDim)
            throw new ArgumentException($"The embedding gives {embedding.EmbeddingDim} features but the {rnn.TypeName} reads {rnn.InputSize}.", nameof(rnn));
        if (head is not null && head.InFeatures != rnn.StateSize)
            throw new ArgumentException($"The {rnn.TypeName} gives {rnn.StateSize} features but the head reads {head.InFeatures}.", nameof(head));
        _embedding = embedding;
        _stream = rnn.CreateStream(batchSize);
        _head = head;
        _x = new float[batchSize * embedding.EmbeddingDim];
        _h = new float[batchSize * rnn.StateSize];
    }

    /// <summary>B: the number of streams.</summary>
    public int BatchSize => _stream.BatchSize;

    /// <summary>Values written per stream by <see cref="Step"/>: the head's outputs V, or H without a head.</summary>
    public int OutputSize => _head?.OutFeatures ?? _stream.OutputSize;

    /// <summary>The recurrent state (hidden [L, B, Hout] and, for an LSTM, cell [L, B, H]), writable.</summary>
    public RecurrentStream Recurrent => _stream;

    /// <summary>Sets every stream's state to zero.</summary>
    public void Reset() => _stream.Reset();

    /// <summary>
    /// Reads token <c>ids[b]</c> for every stream b: looks up its embedding, advances the recurrent state one step and
    /// writes <paramref name="output"/> [B, V] = h W^T + b (or h [B, H] without a head).
    /// </summary>
    /// <exception cref="ArgumentException">Wrong lengths, or an id outside the embedding table.</exception>
    public void Step(ReadOnlySpan<int> ids, Span<float> output)
    {
        int b = BatchSize, e = _embedding.EmbeddingDim, hSize = _stream.OutputSize;
        if (ids.Length != b) throw new ArgumentException($"Expected {b} ids (one per stream) but got {ids.Length}.", nameof(ids));
        if (output.Length != b * OutputSize) throw new ArgumentException($"Expected an output of [{b}, {OutputSize}] but got {output.Length} values.", nameof(output));
        var table = _embedding.Weight.Value.Span; // [V, E]
        for (int s = 0; s < b; s++)
        {
            if ((uint)ids[s] >= (uint)_embedding.NumEmbeddings)
                throw new ArgumentException($"Token id {ids[s]} is outside the embedding table of {_embedding.NumEmbeddings} rows.", nameof(ids));
            table.Slice(ids[s] * e, e).CopyTo(_x.AsSpan(s * e, e));
        }
        if (_head is null)
        {
            _stream.Step(_x, output);
            return;
        }
        _stream.Step(_x, _h);
        var w = _head.Weight.Value.Span; // [V, H]
        var bias = _head.Bias is null ? default : _head.Bias.Value.Span; // [V]
        int v = _head.OutFeatures;
        for (int s = 0; s < b; s++)
        {
            var h = _h.AsSpan(s * hSize, hSize);
            var row = output.Slice(s * v, v);
            for (int j = 0; j < v; j++) row[j] = TensorPrimitives.Dot(w.Slice(j * hSize, hSize), h) + (bias.IsEmpty ? 0f : bias[j]);
        }
    }
}
