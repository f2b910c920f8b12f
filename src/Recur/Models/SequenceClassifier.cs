// T time, B batch, E embedding, F features, P projection, H hidden, D directions, C classes
using System.Text.Json.Nodes;
using Recur.Autograd;
using Recur.Data;
using Recur.NN;

namespace Recur.Models;

/// <summary>
/// Classifies whole sequences ("many-to-one"): <c>embedding</c> [V, E] (text) or an optional linear
/// <c>projection</c> [P, F] (numeric series) -&gt; input dropout -&gt; <c>rnn</c> (stacked, optionally bidirectional
/// LSTM / GRU / RNN over the packed lengths) -&gt; <c>pool</c> (last state of each direction, mean, max, or additive
/// attention) -&gt; dropout -&gt; <c>fc</c> [C, D * H] giving logits [B, C].
/// </summary>
public sealed class SequenceClassifier : Module, IRebuildable
{
    private readonly Dropout _inputDropout;
    private readonly Dropout _dropout;

    /// <summary>Creates the model; <paramref name="rng"/> draws the weights and the dropout masks.</summary>
    /// <exception cref="ArgumentException">The configuration is out of range.</exception>
    public SequenceClassifier(SequenceClassifierConfig config, RandomGenerator rng)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(rng);
        config.Validate();
        Config = config;
        if (config.ReadsTokens) Embedding = RegisterModule("embedding", new Embedding(config.VocabSize, config.EmbeddingSize, paddingIndex: 0, rng: rng));
        if (config.HasCharacters)
        {
            CharEmbedding = RegisterModule("char_embedding", new Embedding(config.CharVocabSize, config.CharEmbeddingSize, paddingIndex: 0, rng: rng));
            CharRnn = RegisterModule("char_rnn", new Lstm(config.CharEmbeddingSize, config.CharHiddenSize, bidirectional: true, rng: rng));
        }
        else if (config.Projection > 0) Projection = RegisterModule("projection", new Linear(config.Features, config.Projection, rng: rng));
        _inputDropout = RegisterModule("input_dropout", new Dropout(config.InputDropout, rng));
        int input = config.StackInput;
        double between = config.Layers > 1 ? config.Dropout : 0;
        Rnn = RegisterModule<RecurrentLayer>("rnn", config.Cell switch
        {
            "lstm" => new Lstm(input, config.HiddenSize, config.Layers, dropout: between, bidirectional: config.Bidirectional, rng: rng),
            "gru" => new Gru(input, config.HiddenSize, config.Layers, dropout: between, bidirectional: config.Bidirectional, rng: rng),
            _ => new Rnn(input, config.HiddenSize, config.Layers, dropout: between, bidirectional: config.Bidirectional, rng: rng),
        });
        Pool = RegisterModule("pool", new SequencePooling(config.PoolingMode, config.PooledSize, config.AttentionSize, rng));
        _dropout = RegisterModule("dropout", new Dropout(config.Dropout, rng));
        Fc = RegisterModule("fc", new Linear(config.PooledSize, config.Classes, rng: rng));
    }

    /// <summary>The configuration the model was built from.</summary>
    public SequenceClassifierConfig Config { get; }

    /// <summary>[V, E] with the padding row 0 (text input).</summary>
    public Embedding? Embedding { get; }

    /// <summary>[Vc, Ec] with the padding row 0 (text with character features).</summary>
    public Embedding? CharEmbedding { get; }

    /// <summary>The BiLSTM over each word's characters; its final states are the word's character features.</summary>
    public Lstm? CharRnn { get; }

    /// <summary>[P, F] (numeric input with a projection).</summary>
    public Linear? Projection { get; }

    /// <summary>The recurrent stack.</summary>
    public RecurrentLayer Rnn { get; }

    /// <summary>The pooling over time (its attention weights, in attention mode, after each forward).</summary>
    public SequencePooling Pool { get; }

    /// <summary>[C, D * H]</summary>
    public Linear Fc { get; }

    /// <inheritdoc/>
    public override string TypeName => "SequenceClassifier";

    /// <inheritdoc/>
    public JsonObject GetConfig() => Config.ToJson();

    /// <summary>
    /// Logits [B, C] for token ids [T, B] (element t * B + b; 0 is padding) of sequences of <paramref name="lengths"/>;
    /// with character features, <paramref name="characters"/> spells the batch's words.
    /// </summary>
    public Variable ForwardTokens(int[] ids, int steps, int batch, int[] lengths, WordCharacters? characters = null)
    {
        if (Embedding is null) throw new InvalidOperationException("This classifier reads numeric features, not token ids; call ForwardValues.");
        var x = Embedding.Forward(ids, steps, batch); // [T, B, E]
        if (CharRnn is not null)
        {
            if (characters is null) throw new ArgumentException("This classifier reads the spelling of words too: give the batch's WordCharacters.", nameof(characters));
            x = Ops.Concat([x, Spelling(characters, steps, batch)], dim: 2); // [T, B, E + 2 Hc]
        }
        return Classify(x, lengths);
    }

    // Each distinct word's characters through the character BiLSTM (final states of both directions, [W, 2 Hc]), then
    // looked up for every token: [T, B, 2 Hc].
    private Variable Spelling(WordCharacters c, int steps, int batch)
    {
        var chars = CharEmbedding!.Forward(c.Chars, c.Steps, c.Words);            // [Tc, W, Ec]
        var hN = CharRnn!.Forward(chars, lengths: c.Lengths).HN;                  // [2, W, Hc]
        var perWord = Ops.Reshape(Ops.Transpose(hN, 0, 1), c.Words, 2 * CharRnn.HiddenSize); // [W, 2 Hc]
        return Ops.Embedding(perWord, c.TokenWords, [steps, batch]);             // [T, B, 2 Hc]
    }

    /// <summary>Logits [B, C] for numeric sequences [T, B, F] (zero-padded) of <paramref name="lengths"/>.</summary>
    public Variable ForwardValues(Tensor values, int[] lengths)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (Embedding is not null) throw new InvalidOperationException("This classifier reads token ids, not numeric features; call ForwardTokens.");
        Variable x = values;
        if (Projection is not null) x = Projection.Forward(x); // [T, B, P]
        return Classify(x, lengths);
    }

    /// <summary>Logits [B, C] for a padded batch of tokens or series.</summary>
    public Variable Forward(SequenceBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Tokens is PaddedTokens t) return ForwardTokens(t.Ids, t.Steps, t.BatchSize, t.Lengths, batch.Characters);
        var s = batch.Series!;
        return ForwardValues(Tensor.FromArray(s.Values, s.Steps, s.BatchSize, s.Features), s.Lengths);
    }

    /// <summary>
    /// The logits [N][C] of every example of <paramref name="data"/>, in its order: evaluation mode, no tape, batches
    /// of similar lengths (at most <paramref name="maxLength"/> steps each).
    /// </summary>
    public float[][] PredictLogits(EncodedSequences data, int batchSize = 64, int? maxLength = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        var result = new float[data.Count][];
        bool wasTraining = IsTraining;
        this.Eval();
        using (GradMode.NoGrad())
        {
            foreach (var indices in BucketBatcher.Ordered(data.Lengths, batchSize))
            {
                var logits = Forward(data.Batch(indices, maxLength)).Value; // [B, C]
                for (int i = 0; i < indices.Length; i++) result[indices[i]] = logits[i].ToArray();
            }
        }
        this.Train(wasTraining);
        return result;
    }

    private Variable Classify(Variable x, int[] lengths)
    {
        var r = Rnn.Forward(_inputDropout.Forward(x), lengths: lengths); // [T, B, D * H]
        var pooled = Pool.Forward(r.Output, lengths, r.HN);              // [B, D * H]
        return Fc.Forward(_dropout.Forward(pooled));                     // [B, C]
    }
}
