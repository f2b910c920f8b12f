using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Recur.IO;

namespace Recur.Models;

/// <summary>The sizes and choices of a <see cref="Seq2Seq"/> model (ids 0 = &lt;pad&gt;, then the vocabularies' own).</summary>
public sealed record Seq2SeqConfig
{
    /// <summary>Source vocabulary size (id 0 is padding).</summary>
    public int SourceVocabSize { get; init; }

    /// <summary>Target vocabulary size (id 0 is padding).</summary>
    public int TargetVocabSize { get; init; }

    /// <summary>Id of the target's start token, fed before the first word.</summary>
    public int BosId { get; init; } = 2;

    /// <summary>Id of the target's end token, the last word to predict.</summary>
    public int EosId { get; init; } = 3;

    /// <summary>E: both embeddings.</summary>
    public int EmbeddingSize { get; init; } = 256;

    /// <summary>H: the encoder's per-direction and the decoder's hidden size.</summary>
    public int HiddenSize { get; init; } = 256;

    /// <summary>L: layers of the encoder and of the decoder.</summary>
    public int Layers { get; init; } = 1;

    /// <summary>lstm or gru.</summary>
    public string Cell { get; init; } = "gru";

    /// <summary>A bidirectional encoder (its memory steps have 2H features).</summary>
    public bool Bidirectional { get; init; } = true;

    /// <summary>none (the fixed-vector bottleneck), bahdanau, dot, general or concat.</summary>
    public string Attention { get; init; } = "bahdanau";

    /// <summary>Luong's input feeding: the previous attentional state joins the next input (Luong scores only).</summary>
    public bool InputFeeding { get; init; } = true;

    /// <summary>The output projection shares the target embedding's weight (needs E = H).</summary>
    public bool TieWeights { get; init; }

    /// <summary>linear (tanh of a linear map of the encoder's final states, as Bahdanau) or zeros.</summary>
    public string Bridge { get; init; } = "linear";

    /// <summary>Dropout on the embeddings, between decoder layers and before the output projection.</summary>
    public double Dropout { get; init; } = 0.2;

    /// <summary>Directions of the encoder.</summary>
    [JsonIgnore]
    public int Directions => Bidirectional ? 2 : 1;

    /// <summary>Features of a memory step: D * H.</summary>
    [JsonIgnore]
    public int MemorySize => Directions * HiddenSize;

    /// <summary>Whether the decoder attends.</summary>
    [JsonIgnore]
    public bool Attends => Attention != "none";

    /// <summary>The JSON form (snake_case names), as saved with a checkpoint.</summary>
    public JsonObject ToJson() => JsonConfig.ToJson(this);

    /// <summary>Reads and checks the JSON form.</summary>
    /// <exception cref="InvalidDataException">Malformed or out of range.</exception>
    public static Seq2SeqConfig FromJson(JsonNode? json) => JsonConfig.Read<Seq2SeqConfig>(json, "the model config", c => c.Validate());

    /// <summary>The number of parameters, in 64 bits, without building the model.</summary>
    public long ParameterCount()
    {
        int gates = Cell == "lstm" ? 4 : 3;
        long e = EmbeddingSize, h = HiddenSize, mem = MemorySize;
        long count = ((long)SourceVocabSize * e) + Recur.NN.RecurrentLayer.CountParameters(gates, EmbeddingSize, HiddenSize, Layers, Bidirectional);
        if (Bridge == "linear") count += ((mem * h) + h) * (Cell == "lstm" ? 2 : 1);
        count += (long)TargetVocabSize * e;
        long input0 = e + (Attention == "bahdanau" ? mem : InputFeeding && Attends ? h : 0);
        for (int l = 0; l < Layers; l++) count += (gates * h * ((l == 0 ? input0 : h) + h)) + (2 * gates * h);
        count += Attention switch
        {
            "bahdanau" => (h * h) + (h * mem) + h + h,
            "general" => h * mem,
            "concat" => (h * (h + mem)) + h,
            _ => 0,
        };
        if (Attends) count += h * (mem + h);
        return count + (TieWeights ? TargetVocabSize : (h * TargetVocabSize) + TargetVocabSize);
    }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first value out of range.</summary>
    public void Validate()
    {
        static string N(double v) => v.ToString(CultureInfo.InvariantCulture);
        if (SourceVocabSize < 2 || TargetVocabSize < 4) throw new ArgumentException($"the vocabularies need at least 2 source and 4 target entries, got {SourceVocabSize} and {TargetVocabSize}.");
        if (BosId <= 0 || BosId >= TargetVocabSize || EosId <= 0 || EosId >= TargetVocabSize || BosId == EosId)
            throw new ArgumentException($"the start and end ids must be distinct target ids above 0, got {BosId} and {EosId}.");
        if (EmbeddingSize is < 1 or > 65536) throw new ArgumentException($"the embedding size must be from 1 to 65536, got {EmbeddingSize}.");
        if (HiddenSize is < 1 or > 65536) throw new ArgumentException($"the hidden size must be from 1 to 65536, got {HiddenSize}.");
        if (Layers is < 1 or > 64) throw new ArgumentException($"the layers must be from 1 to 64, got {Layers}.");
        if (Cell is not ("lstm" or "gru")) throw new ArgumentException($"the cell must be lstm or gru, got '{Cell}'.");
        if (Attention is not ("none" or "bahdanau" or "dot" or "general" or "concat"))
            throw new ArgumentException($"the attention must be none, bahdanau, dot, general or concat, got '{Attention}'.");
        if (Attention == "dot" && MemorySize != HiddenSize)
            throw new ArgumentException($"dot attention needs memory steps of the decoder's size ({HiddenSize}), but a bidirectional encoder gives {MemorySize}: use general, concat or a one-direction encoder.");
        if (Bridge is not ("linear" or "zeros")) throw new ArgumentException($"the bridge must be linear or zeros, got '{Bridge}'.");
        if (TieWeights && EmbeddingSize != HiddenSize) throw new ArgumentException($"tied weights need the embedding size ({EmbeddingSize}) to equal the hidden size ({HiddenSize}).");
        if (!(Dropout >= 0 && Dropout < 1)) throw new ArgumentException($"the dropout must be in [0, 1), got {N(Dropout)}.");
    }
}
