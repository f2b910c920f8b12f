using Recur.Autograd;
using Recur.NN;

namespace Recur.Cli.Demo;

// B batch, C context characters, E embedding size, H hidden size, V vocabulary.
/// <summary>
/// A character model in the style of Bengio et al. (2003): the embeddings of the previous C characters,
/// concatenated, through a tanh layer, to logits over the next character.
/// </summary>
public sealed class CharMlp : Module
{
    private readonly int _context;

    /// <summary>Creates the model with PyTorch-style initialization from <paramref name="rng"/>.</summary>
    public CharMlp(int vocabulary, int context, int embeddingSize, int hiddenSize, RandomGenerator rng)
    {
        _context = context;
        Embedding = RegisterModule("embedding", new Embedding(vocabulary, embeddingSize, rng: rng));
        Hidden = RegisterModule("hidden", new Linear(context * embeddingSize, hiddenSize, rng: rng));
        Output = RegisterModule("output", new Linear(hiddenSize, vocabulary, rng: rng));
    }

    /// <summary>[V, E]</summary>
    public Embedding Embedding { get; }

    /// <summary>[H, C*E]</summary>
    public Linear Hidden { get; }

    /// <summary>[V, H]</summary>
    public Linear Output { get; }

    /// <summary>Logits [B, V] for contexts given as B*C ids, row by row.</summary>
    public Variable Forward(int[] contexts, int batch)
    {
        var e = Embedding.Forward(contexts, batch, _context);                    // [B, C, E]
        var h = Ops.Tanh(Hidden.Forward(Ops.Reshape(e, batch, -1)));            // [B, H]
        return Output.Forward(h);                                               // [B, V]
    }
}
