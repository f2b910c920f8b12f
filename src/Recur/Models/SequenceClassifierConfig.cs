using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Recur.IO;
using Recur.NN;

namespace Recur.Models;

/// <summary>
/// The shape of a <see cref="SequenceClassifier"/> (snake_case JSON, saved with every checkpoint): what it reads
/// (token ids through an embedding, or numeric features, optionally projected), the recurrent stack, the pooling, the
/// dropouts and the number of classes.
/// </summary>
public sealed record SequenceClassifierConfig
{
    /// <summary>The largest size accepted for any layer.</summary>
    public const int MaxSize = 16384;

    /// <summary>"tokens" (ids into an embedding) or "values" (F numbers per step).</summary>
    public string Input { get; init; } = "tokens";

    /// <summary>V: the vocabulary (tokens).</summary>
    public int VocabSize { get; init; }

    /// <summary>E: the embedding size (tokens).</summary>
    public int EmbeddingSize { get; init; } = 128;

    /// <summary>Vc: characters of the character table (text with character features).</summary>
    public int CharVocabSize { get; init; }

    /// <summary>Ec: the character embedding size; 0 turns character features off (text).</summary>
    public int CharEmbeddingSize { get; init; }

    /// <summary>Hc: hidden units per direction of the character BiLSTM; each word gets 2 Hc features (text).</summary>
    public int CharHiddenSize { get; init; } = 25;

    /// <summary>F: features per step (values).</summary>
    public int Features { get; init; }

    /// <summary>P: a linear projection of the features before the recurrent stack (values; 0 for none).</summary>
    public int Projection { get; init; }

    /// <summary>lstm, gru or rnn.</summary>
    public string Cell { get; init; } = "lstm";

    /// <summary>H: hidden units per layer and direction.</summary>
    public int HiddenSize { get; init; } = 128;

    /// <summary>L: stacked layers.</summary>
    public int Layers { get; init; } = 1;

    /// <summary>Whether the stack reads both directions.</summary>
    public bool Bidirectional { get; init; } = true;

    /// <summary>last, mean, max or attention.</summary>
    public string Pooling { get; init; } = "max";

    /// <summary>A: the attention's hidden size (attention pooling).</summary>
    public int AttentionSize { get; init; } = 64;

    /// <summary>Dropout on the pooled vector and between recurrent layers.</summary>
    public double Dropout { get; init; } = 0.5;

    /// <summary>Dropout on the stack's inputs (the embeddings or the projected features).</summary>
    public double InputDropout { get; init; }

    /// <summary>C: the number of classes.</summary>
    public int Classes { get; init; } = 2;

    /// <summary>True when the model reads token ids.</summary>
    [JsonIgnore]
    public bool ReadsTokens => Input == "tokens";

    /// <summary>The pooling as an enum.</summary>
    [JsonIgnore]
    public PoolingMode PoolingMode => Pooling switch
    {
        "last" => PoolingMode.Last,
        "mean" => PoolingMode.Mean,
        "attention" => PoolingMode.Attention,
        _ => PoolingMode.Max,
    };

    /// <summary>True when words get character features besides their embedding.</summary>
    [JsonIgnore]
    public bool HasCharacters => ReadsTokens && CharEmbeddingSize > 0;

    /// <summary>I: the features each recurrent step reads.</summary>
    [JsonIgnore]
    public int StackInput => ReadsTokens ? EmbeddingSize + (HasCharacters ? 2 * CharHiddenSize : 0) : Projection > 0 ? Projection : Features;

    /// <summary>D * H: the pooled vector's size.</summary>
    [JsonIgnore]
    public int PooledSize => (Bidirectional ? 2 : 1) * HiddenSize;

    /// <summary>The JSON form.</summary>
    public JsonObject ToJson() => JsonConfig.ToJson(this);

    /// <summary>Reads and checks the JSON form.</summary>
    /// <exception cref="InvalidDataException">Malformed or out of range.</exception>
    public static SequenceClassifierConfig FromJson(JsonNode? json) => JsonConfig.Read<SequenceClassifierConfig>(json, "the model config", c => c.Validate());

    /// <summary>The number of parameters, in 64 bits, without building the model.</summary>
    public long ParameterCount()
    {
        long input = ReadsTokens ? (long)VocabSize * EmbeddingSize : Projection > 0 ? ((long)Features * Projection) + Projection : 0;
        if (HasCharacters) input += ((long)CharVocabSize * CharEmbeddingSize) + RecurrentLayer.CountParameters(4, CharEmbeddingSize, CharHiddenSize, 1, bidirectional: true);
        int gates = Cell switch { "lstm" => 4, "gru" => 3, _ => 1 };
        long rnn = RecurrentLayer.CountParameters(gates, StackInput, HiddenSize, Layers, Bidirectional);
        long pool = PoolingMode == PoolingMode.Attention ? ((long)PooledSize * AttentionSize) + (2L * AttentionSize) : 0;
        return input + rnn + pool + ((long)PooledSize * Classes) + Classes;
    }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the option of the first value out of range.</summary>
    public void Validate()
    {
        if (Input is not ("tokens" or "values")) throw new ArgumentException($"the input must be tokens or values, got '{Input}'.");
        if (ReadsTokens)
        {
            CharLmConfig.Range(VocabSize, 3, 1 << 24, "the vocabulary size");
            CharLmConfig.Range(EmbeddingSize, 1, MaxSize, "--embedding-size");
            CharLmConfig.Range(CharEmbeddingSize, 0, 1024, "--char-embedding-size");
            if (HasCharacters)
            {
                CharLmConfig.Range(CharVocabSize, 3, 1 << 17, "the character table's size");
                CharLmConfig.Range(CharHiddenSize, 1, 1024, "--char-hidden-size");
            }
        }
        else
        {
            CharLmConfig.Range(Features, 1, MaxSize, "the number of features");
            CharLmConfig.Range(Projection, 0, MaxSize, "--projection");
        }
        if (Cell is not ("lstm" or "gru" or "rnn")) throw new ArgumentException($"--cell must be lstm, gru or rnn, got '{Cell}'.");
        CharLmConfig.Range(HiddenSize, 1, MaxSize, "--hidden-size");
        CharLmConfig.Range(Layers, 1, CharLmConfig.MaxLayers, "--layers");
        if (Pooling is not ("last" or "mean" or "max" or "attention")) throw new ArgumentException($"--pooling must be last, mean, max or attention, got '{Pooling}'.");
        CharLmConfig.Range(AttentionSize, 1, MaxSize, "--attention-size");
        if (!(Dropout >= 0 && Dropout < 1)) throw new ArgumentException($"--dropout must be in [0, 1), got {Num(Dropout)}.");
        if (!(InputDropout >= 0 && InputDropout < 1)) throw new ArgumentException($"--input-dropout must be in [0, 1), got {Num(InputDropout)}.");
        CharLmConfig.Range(Classes, 2, 1 << 20, "the number of classes");
    }

    private static string Num(double v) => v.ToString(CultureInfo.InvariantCulture);
}
