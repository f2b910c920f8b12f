using Recur.Cli.Common;

namespace Recur.Cli.Classify;

/// <summary>
/// The defaults of <c>recur classify train</c>, one set for text and one for series, found by experiment on SST-2,
/// ECG200 and JapaneseVowels (docs/RESULTS.md); every option given on the command line wins over them.
/// </summary>
public sealed record ClassifyDefaults
{
    /// <summary>The shared training options' defaults.</summary>
    public required TrainingDefaults Training { get; init; }

    /// <summary>lstm, gru or rnn.</summary>
    public string Cell { get; init; } = "lstm";

    /// <summary>H</summary>
    public int HiddenSize { get; init; } = 128;

    /// <summary>L</summary>
    public int Layers { get; init; } = 1;

    /// <summary>Both directions.</summary>
    public bool Bidirectional { get; init; } = true;

    /// <summary>last, mean, max or attention.</summary>
    public string Pooling { get; init; } = "max";

    /// <summary>A</summary>
    public int AttentionSize { get; init; } = 64;

    /// <summary>E (text).</summary>
    public int EmbeddingSize { get; init; } = 128;

    /// <summary>Ec: character features (text), 0 for none.</summary>
    public int CharEmbeddingSize { get; init; }

    /// <summary>Hc (text).</summary>
    public int CharHiddenSize { get; init; } = 25;

    /// <summary>P (series).</summary>
    public int Projection { get; init; }

    /// <summary>Dropout on the pooled vector.</summary>
    public double Dropout { get; init; } = 0.5;

    /// <summary>Dropout on the recurrent inputs.</summary>
    public double InputDropout { get; init; }

    /// <summary>Word dropout (text).</summary>
    public double WordDropout { get; init; }

    /// <summary>B</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Share of --train held out without --dev.</summary>
    public double DevFraction { get; init; } = 0.1;

    /// <summary>The defaults for text.</summary>
    public static ClassifyDefaults Text { get; } = new()
    {
        Training = new TrainingDefaults
        {
            MaxEpochs = 15, EvalEvery = 0, Patience = 5, LearningRate = 2e-3, Warmup = 50, WeightDecay = 0.1, GradClip = 1, Schedule = "cosine",
            WeightAverage = 0.998,
        },
        EmbeddingSize = 300,
        CharEmbeddingSize = 25,
        HiddenSize = 150,
        Pooling = "max",
        Dropout = 0.5,
        InputDropout = 0.5,
        WordDropout = 0.3,
        BatchSize = 32,
    };

    /// <summary>The defaults for series.</summary>
    public static ClassifyDefaults Series { get; } = new()
    {
        Training = new TrainingDefaults
        {
            // The final (averaged) weights after 150 epochs: selecting on a validation split of 10-27 series picks noise
            // (5-fold cross-validation of the training files, docs/RESULTS.md).
            MaxEpochs = 150, EvalEvery = 0, Patience = 0, Keep = "last", LearningRate = 3e-3, Warmup = 20, WeightDecay = 0.01, GradClip = 1,
            Schedule = "cosine", WeightAverage = 0.99,
        },
        Cell = "gru",
        HiddenSize = 128,
        Pooling = "max",
        Dropout = 0.2,
        InputDropout = 0.2,
        BatchSize = 16,
    };

    /// <summary>The defaults for <paramref name="text"/> data or series.</summary>
    public static ClassifyDefaults For(bool text) => text ? Text : Series;
}
