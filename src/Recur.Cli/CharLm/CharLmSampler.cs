// E embedding, H hidden, V vocab
using System.Numerics.Tensors;
using Recur.NN;

namespace Recur.Cli.CharLm;

/// <summary>
/// Generates text one character at a time through the streaming step API: the embedding row is copied, the
/// recurrent stack advances one step (<see cref="RecurrentStream"/>), and the logits W h + b are computed on spans.
/// Nothing is allocated per character; no dropout applies.
/// </summary>
public sealed class CharLmSampler
{
    private readonly CharLmModel _model;
    private readonly RecurrentStream _stream;
    private readonly float[] _x;      // [E]
    private readonly float[] _h;      // [H]
    private readonly float[] _logits; // [V]
    private readonly double[] _p;     // [V]
    private readonly int[] _order;    // [V]
    private readonly float[] _keys;   // [V] negated logits, to sort the most likely first

    /// <summary>Creates a sampler over <paramref name="model"/>'s current weights, from a zero state.</summary>
    public CharLmSampler(CharLmModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
        _stream = model.Rnn.CreateStream(1);
        _x = new float[model.Config.EmbeddingSize];
        _h = new float[model.Config.HiddenSize];
        _logits = new float[model.Config.VocabSize];
        _p = new double[model.Config.VocabSize];
        _order = new int[model.Config.VocabSize];
        _keys = new float[model.Config.VocabSize];
    }

    /// <summary>The logits [V] for the next character after the last <see cref="Feed"/>.</summary>
    public ReadOnlySpan<float> Logits => _logits;

    /// <summary>Starts again from a zero state.</summary>
    public void Reset()
    {
        _stream.Reset();
        Array.Clear(_logits);
    }

    /// <summary>Reads character <paramref name="id"/>: advances the state and computes the next character's logits.</summary>
    public void Feed(int id)
    {
        int e = _x.Length, hSize = _h.Length;
        _model.Embedding.Weight.Value.Span.Slice(id * e, e).CopyTo(_x);
        _stream.Step(_x, _h);
        var w = _model.Fc.Weight.Value.Span; // [V, H]
        var bias = _model.Fc.Bias!.Value.Span; // [V]
        for (int v = 0; v < _logits.Length; v++) _logits[v] = TensorPrimitives.Dot(w.Slice(v * hSize, hSize), _h) + bias[v];
    }

    /// <summary>
    /// Draws the next character from softmax(logits / <paramref name="temperature"/>), restricted to the
    /// <paramref name="topK"/> most likely characters when topK &gt; 0.
    /// </summary>
    public int Sample(double temperature, int topK, RandomGenerator rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        int v = _logits.Length;
        int k = topK > 0 && topK < v ? topK : v;
        for (int i = 0; i < v; i++)
        {
            _order[i] = i;
            _keys[i] = -_logits[i];
        }
        if (k < v) Array.Sort(_keys, _order);
        double max = double.NegativeInfinity;
        for (int i = 0; i < k; i++) max = Math.Max(max, _logits[_order[i]] / temperature);
        double sum = 0;
        for (int i = 0; i < k; i++) sum += _p[i] = Math.Exp((_logits[_order[i]] / temperature) - max);
        double u = rng.NextDouble() * sum;
        for (int i = 0; i < k; i++)
        {
            u -= _p[i];
            if (u < 0) return _order[i];
        }
        return _order[k - 1];
    }

    /// <summary>
    /// Reads <paramref name="prompt"/> (ids; a zero state reads it from the start), then generates
    /// <paramref name="length"/> characters, handing each to <paramref name="emit"/> as soon as it is drawn.
    /// </summary>
    public void Generate(ReadOnlySpan<int> prompt, int length, double temperature, int topK, RandomGenerator rng, Action<int> emit)
    {
        ArgumentNullException.ThrowIfNull(emit);
        if (prompt.IsEmpty) throw new ArgumentException("The prompt needs at least one character.", nameof(prompt));
        foreach (int id in prompt) Feed(id);
        for (int i = 0; i < length; i++)
        {
            int next = Sample(temperature, topK, rng);
            emit(next);
            if (i + 1 < length) Feed(next);
        }
    }
}
