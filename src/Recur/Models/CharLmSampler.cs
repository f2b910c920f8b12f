// V vocab
using Recur.NN;

namespace Recur.Models;

/// <summary>
/// Generates text one character at a time through the model's <see cref="TokenStream"/> (embedding, one recurrent
/// step, logits), with temperature and top-k sampling. Nothing is allocated per character; no dropout applies.
/// </summary>
public sealed class CharLmSampler
{
    private readonly TokenStream _stream;
    private readonly int[] _id = new int[1];
    private readonly float[] _logits; // [V]
    private readonly double[] _p;     // [V]
    private readonly int[] _order;    // [V]
    private readonly float[] _keys;   // [V] negated logits, to sort the most likely first

    /// <summary>Creates a sampler over <paramref name="model"/>'s current weights, from a zero state.</summary>
    public CharLmSampler(CharLm model)
    {
        ArgumentNullException.ThrowIfNull(model);
        _stream = model.CreateStream(1);
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
        _id[0] = id;
        _stream.Step(_id, _logits);
    }

    /// <summary>
    /// Draws the next character from softmax(logits / <paramref name="temperature"/>), restricted to the
    /// <paramref name="topK"/> most likely characters when topK &gt; 0.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The temperature is not a positive number that keeps logits / T finite.</exception>
    public int Sample(double temperature, int topK, RandomGenerator rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        CheckTemperature(temperature);
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

    /// <summary>The lowest temperature accepted: below it logits / T overflow for ordinary logits (use top-k 1 for greedy choice).</summary>
    public const double MinTemperature = 1e-3;

    /// <summary>Throws unless <paramref name="temperature"/> is in [<see cref="MinTemperature"/>, 1000].</summary>
    public static void CheckTemperature(double temperature)
    {
        if (!(temperature >= MinTemperature && temperature <= 1000))
            throw new ArgumentOutOfRangeException(nameof(temperature), $"the temperature must be from {MinTemperature} to 1000 (for the most likely character every time use --top-k 1), got {temperature.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
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
