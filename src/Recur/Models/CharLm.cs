// B batch, T time, E embedding, H hidden, V vocab, L layers
using System.Text.Json.Nodes;
using Recur.Autograd;
using Recur.NN;

namespace Recur.Models;

/// <summary>
/// A character language model: <c>embedding</c> [V, E] -&gt; <c>rnn</c> (LSTM, GRU or tanh RNN; L layers of H, dropout
/// between layers) -&gt; dropout -&gt; <c>fc</c> [V, H], with the parameter names of the equivalent PyTorch module
/// (<c>embedding.weight</c>, <c>rnn.weight_ih_l0</c>, <c>fc.weight</c>).
/// </summary>
public sealed class CharLm : Module, IRebuildable
{
    /// <summary>Creates the model; <paramref name="rng"/> draws the weights and, later, the dropout masks.</summary>
    /// <exception cref="ArgumentException">The configuration is out of range.</exception>
    public CharLm(CharLmConfig config, RandomGenerator rng)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(rng);
        config.Validate();
        Config = config;
        Embedding = RegisterModule("embedding", new Embedding(config.VocabSize, config.EmbeddingSize, rng: rng));
        Rnn = RegisterModule<RecurrentLayer>("rnn", config.Cell switch
        {
            "lstm" => new Lstm(config.EmbeddingSize, config.HiddenSize, config.Layers, dropout: config.Dropout, rng: rng),
            "gru" => new Gru(config.EmbeddingSize, config.HiddenSize, config.Layers, dropout: config.Dropout, rng: rng),
            _ => new Rnn(config.EmbeddingSize, config.HiddenSize, config.Layers, dropout: config.Dropout, rng: rng),
        });
        Dropout = RegisterModule("dropout", new Dropout(config.Dropout, rng));
        Fc = RegisterModule("fc", new Linear(config.HiddenSize, config.VocabSize, rng: rng));
    }

    /// <summary>The configuration the model was built from.</summary>
    public CharLmConfig Config { get; }

    /// <summary>[V, E]</summary>
    public Embedding Embedding { get; }

    /// <summary>The recurrent stack.</summary>
    public RecurrentLayer Rnn { get; }

    /// <summary>Dropout on the top layer's outputs.</summary>
    public Dropout Dropout { get; }

    /// <summary>[V, H]</summary>
    public Linear Fc { get; }

    /// <summary>True for an LSTM, which carries a cell state besides h.</summary>
    public bool HasCellState => Rnn is Lstm;

    /// <inheritdoc/>
    public override string TypeName => "CharLm";

    /// <inheritdoc/>
    public JsonObject GetConfig() => Config.ToJson();

    /// <summary>
    /// Logits [T * B, V] for <paramref name="ids"/> [T, B] from the states <paramref name="h0"/> [L, B, H] and
    /// <paramref name="c0"/> (LSTM; null = zeros), with the final states.
    /// </summary>
    public (Variable Logits, Variable HN, Variable? CN) Forward(int[] ids, int steps, int batch, Variable? h0 = null, Variable? c0 = null)
    {
        var x = Embedding.Forward(ids, steps, batch);                      // [T, B, E]
        var r = Rnn.Forward(x, h0, c0);                                    // [T, B, H]
        var y = Dropout.Forward(Ops.Reshape(r.Output, steps * batch, -1)); // [T * B, H]
        return (Fc.Forward(y), r.HN, r.CN);
    }

    /// <summary>A per-character stream over the current weights: one id per stream in, the next character's logits [B, V] out.</summary>
    public TokenStream CreateStream(int batchSize = 1) => new(Embedding, Rnn, Fc, batchSize);
}
