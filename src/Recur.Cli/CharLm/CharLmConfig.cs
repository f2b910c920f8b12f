using System.Text.Json;
using System.Text.Json.Serialization;

namespace Recur.Cli.CharLm;

/// <summary>
/// Everything that defines a character language model and how it is trained; saved as <c>config.json</c> in every
/// checkpoint (snake_case keys). A resumed run takes all of it from the checkpoint.
/// </summary>
public sealed record CharLmConfig
{
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

    /// <summary>T: characters per stream per step (the BPTT horizon).</summary>
    public int SequenceLength { get; init; } = 64;

    /// <summary>B: parallel streams per step.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Peak learning rate of AdamW.</summary>
    public double LearningRate { get; init; } = 2e-3;

    /// <summary>cosine or step.</summary>
    public string Schedule { get; init; } = "cosine";

    /// <summary>Steps of linear warm-up.</summary>
    public int WarmupSteps { get; init; } = 100;

    /// <summary>The step at which the cosine reaches its floor (the first run's --max-steps unless --decay-steps is given).</summary>
    public int DecaySteps { get; init; } = 5000;

    /// <summary>Steps between step decays (step schedule).</summary>
    public int DecayEvery { get; init; } = 1000;

    /// <summary>Factor of each step decay (step schedule).</summary>
    public double DecayFactor { get; init; } = 0.5;

    /// <summary>AdamW's decoupled weight decay.</summary>
    public double WeightDecay { get; init; } = 0.01;

    /// <summary>Maximum global gradient norm (0 turns clipping off).</summary>
    public double GradClip { get; init; } = 1.0;

    /// <summary>Seed of the initialization and dropout generator.</summary>
    public ulong Seed { get; init; } = 1;

    internal static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    };

    /// <summary>The JSON form.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads the JSON form and checks it.</summary>
    /// <exception cref="InvalidDataException">Malformed JSON or values out of range.</exception>
    public static CharLmConfig FromJson(string json)
    {
        CharLmConfig? c;
        try
        {
            c = JsonSerializer.Deserialize<CharLmConfig>(json, Json);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"the model config is not valid JSON: {ex.Message}", ex);
        }
        if (c is null) throw new InvalidDataException("the model config is empty.");
        try
        {
            c.Validate();
        }
        catch (UserErrorException ex)
        {
            throw new InvalidDataException($"the model config is not valid: {ex.Message}", ex);
        }
        return c;
    }

    /// <summary>The learning-rate schedule this configuration describes.</summary>
    public Training.LearningRateSchedule LearningRateSchedule() => new(LearningRate, WarmupSteps, DecaySteps,
        Training.LearningRateSchedule.ParseDecay(Schedule), MinFactor: 0.1, StepEvery: DecayEvery, StepFactor: DecayFactor);

    /// <summary>Throws a <see cref="UserErrorException"/> naming the option of the first value out of range.</summary>
    public void Validate()
    {
        if (Cell is not ("lstm" or "gru" or "rnn")) throw new UserErrorException($"--cell must be lstm, gru or rnn, got '{Cell}'.");
        Positive(EmbeddingSize, "--embedding-size");
        Positive(HiddenSize, "--hidden-size");
        Positive(Layers, "--layers");
        Positive(SequenceLength, "--seq-length");
        Positive(BatchSize, "--batch-size");
        Positive(DecaySteps, "--decay-steps");
        Positive(DecayEvery, "--decay-every");
        if (VocabSize < 0) throw new UserErrorException($"the vocabulary size must not be negative, got {VocabSize}.");
        if (!(Dropout >= 0 && Dropout < 1)) throw new UserErrorException($"--dropout must be in [0, 1), got {Num(Dropout)}.");
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate)) throw new UserErrorException($"--lr must be a positive number, got {Num(LearningRate)}.");
        if (Schedule is not ("cosine" or "step")) throw new UserErrorException($"--schedule must be cosine or step, got '{Schedule}'.");
        if (WarmupSteps < 0) throw new UserErrorException($"--warmup must not be negative, got {WarmupSteps}.");
        if (!(DecayFactor > 0 && DecayFactor <= 1)) throw new UserErrorException($"--decay-factor must be in (0, 1], got {Num(DecayFactor)}.");
        if (!(WeightDecay >= 0) || !double.IsFinite(WeightDecay)) throw new UserErrorException($"--weight-decay must not be negative, got {Num(WeightDecay)}.");
        if (!(GradClip >= 0) || !double.IsFinite(GradClip)) throw new UserErrorException($"--grad-clip must not be negative (0 turns it off), got {Num(GradClip)}.");
    }

    private static void Positive(int value, string option)
    {
        if (value <= 0) throw new UserErrorException($"{option} must be positive, got {value}.");
    }

    private static string Num(double v) => v.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
