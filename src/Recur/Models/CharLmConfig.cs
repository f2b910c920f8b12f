using System.Globalization;
using System.Text.Json.Nodes;
using Recur.IO;
using Recur.NN;

namespace Recur.Models;

/// <summary>
/// The shape of a <see cref="CharLm"/>: its cell, vocabulary, embedding, hidden size, layers and dropout (snake_case
/// JSON, saved with every checkpoint so the model can be rebuilt from it).
/// </summary>
public sealed record CharLmConfig
{
    /// <summary>The largest hidden or embedding size accepted.</summary>
    public const int MaxSize = 16384;

    /// <summary>The most stacked layers accepted.</summary>
    public const int MaxLayers = 64;

    /// <summary>lstm, gru or rnn (tanh).</summary>
    public string Cell { get; init; } = "lstm";

    /// <summary>V: characters in the vocabulary.</summary>
    public int VocabSize { get; init; }

    /// <summary>E: embedding size.</summary>
    public int EmbeddingSize { get; init; } = 64;

    /// <summary>H: hidden size of each recurrent layer.</summary>
    public int HiddenSize { get; init; } = 256;

    /// <summary>L: stacked recurrent layers.</summary>
    public int Layers { get; init; } = 2;

    /// <summary>Dropout between recurrent layers and before the output layer.</summary>
    public double Dropout { get; init; } = 0.1;

    /// <summary>The JSON form.</summary>
    public JsonObject ToJson() => JsonConfig.ToJson(this);

    /// <summary>Reads and checks the JSON form.</summary>
    /// <exception cref="InvalidDataException">Malformed, or values out of range.</exception>
    public static CharLmConfig FromJson(JsonNode? json) => JsonConfig.Read<CharLmConfig>(json, "the model config", c => c.Validate());

    /// <summary>The number of parameters of the model, computed in 64 bits without building it.</summary>
    public long ParameterCount()
    {
        long v = VocabSize, e = EmbeddingSize, h = HiddenSize;
        return (v * e) + RecurrentLayer.CountParameters(GateFactor, e, h, Layers, bidirectional: false) + (v * h) + v;
    }

    private int GateFactor => Cell switch { "lstm" => 4, "gru" => 3, _ => 1 };

    /// <summary>Throws an <see cref="ArgumentException"/> naming the option (<c>--hidden-size</c>) of the first value out of range.</summary>
    public void Validate()
    {
        if (Cell is not ("lstm" or "gru" or "rnn")) throw new ArgumentException($"--cell must be lstm, gru or rnn, got '{Cell}'.");
        Range(EmbeddingSize, 1, MaxSize, "--embedding-size");
        Range(HiddenSize, 1, MaxSize, "--hidden-size");
        Range(Layers, 1, MaxLayers, "--layers");
        Range(VocabSize, 1, 1 << 20, "the vocabulary size");
        if (!(Dropout >= 0 && Dropout < 1)) throw new ArgumentException($"--dropout must be in [0, 1), got {Dropout.ToString(CultureInfo.InvariantCulture)}.");
    }

    internal static void Range(int value, int min, int max, string option)
    {
        if (value < min || value > max) throw new ArgumentException($"{option} must be from {min} to {max:N0}, got {value:N0}.");
    }
}
