using System.Globalization;
using Recur.Training;

namespace Recur.Cli.CharLm;

/// <summary>
/// Options of <c>recur charlm train</c>. Null means "not given": a new run takes the defaults of
/// <see cref="CharLmConfig"/>, a resumed run the checkpoint's values (and refuses a given value that differs).
/// </summary>
public sealed record CharLmTrainOptions(
    string? Data = null, string? Out = null, string? Resume = null,
    string? Cell = null, int? HiddenSize = null, int? Layers = null, double? Dropout = null, int? EmbeddingSize = null,
    int? SeqLength = null, int? BatchSize = null, double? LearningRate = null, string? Schedule = null, int? Warmup = null,
    int? DecaySteps = null, int? DecayEvery = null, double? DecayFactor = null, double? WeightDecay = null, double? GradClip = null,
    ulong? Seed = null, long? MaxSteps = null, string? MaxTime = null, int? EvalEvery = null, int? Patience = null, int? Threads = null)
{
    /// <summary>Default step limit (and the cosine's length for a new run).</summary>
    public const long DefaultMaxSteps = 5000;

    /// <summary>Default steps between evaluations.</summary>
    public const int DefaultEvalEvery = 200;

    /// <summary>The configuration of a new run on a vocabulary of <paramref name="vocabSize"/> characters.</summary>
    public CharLmConfig NewConfig(int vocabSize)
    {
        var d = new CharLmConfig();
        var c = new CharLmConfig
        {
            Cell = Cell?.ToLowerInvariant() ?? d.Cell,
            VocabSize = vocabSize,
            EmbeddingSize = EmbeddingSize ?? d.EmbeddingSize,
            HiddenSize = HiddenSize ?? d.HiddenSize,
            Layers = Layers ?? d.Layers,
            Dropout = Dropout ?? d.Dropout,
            SequenceLength = SeqLength ?? d.SequenceLength,
            BatchSize = BatchSize ?? d.BatchSize,
            LearningRate = LearningRate ?? d.LearningRate,
            Schedule = Schedule?.ToLowerInvariant() ?? d.Schedule,
            WarmupSteps = Warmup ?? d.WarmupSteps,
            DecaySteps = DecaySteps ?? (int)Math.Min(int.MaxValue, MaxSteps ?? DefaultMaxSteps),
            DecayEvery = DecayEvery ?? d.DecayEvery,
            DecayFactor = DecayFactor ?? d.DecayFactor,
            WeightDecay = WeightDecay ?? d.WeightDecay,
            GradClip = GradClip ?? d.GradClip,
            Seed = Seed ?? d.Seed,
        };
        c.Validate();
        return c;
    }

    /// <summary>The given options whose values differ from <paramref name="c"/>, as "--option given (checkpoint: value)".</summary>
    public List<string> Conflicts(CharLmConfig c)
    {
        var list = new List<string>();
        void Check<T>(string option, T? given, T actual) where T : struct
        {
            if (given is T g && !EqualityComparer<T>.Default.Equals(g, actual)) list.Add(string.Create(CultureInfo.InvariantCulture, $"{option} {g} (checkpoint: {actual})"));
        }
        if (Cell is not null && !Cell.Equals(c.Cell, StringComparison.OrdinalIgnoreCase)) list.Add($"--cell {Cell} (checkpoint: {c.Cell})");
        if (Schedule is not null && !Schedule.Equals(c.Schedule, StringComparison.OrdinalIgnoreCase)) list.Add($"--schedule {Schedule} (checkpoint: {c.Schedule})");
        Check("--hidden-size", HiddenSize, c.HiddenSize);
        Check("--layers", Layers, c.Layers);
        Check("--dropout", Dropout, c.Dropout);
        Check("--embedding-size", EmbeddingSize, c.EmbeddingSize);
        Check("--seq-length", SeqLength, c.SequenceLength);
        Check("--batch-size", BatchSize, c.BatchSize);
        Check("--lr", LearningRate, c.LearningRate);
        Check("--warmup", Warmup, c.WarmupSteps);
        Check("--decay-steps", DecaySteps, c.DecaySteps);
        Check("--decay-every", DecayEvery, c.DecayEvery);
        Check("--decay-factor", DecayFactor, c.DecayFactor);
        Check("--weight-decay", WeightDecay, c.WeightDecay);
        Check("--grad-clip", GradClip, c.GradClip);
        Check("--seed", Seed, c.Seed);
        return list;
    }

    /// <summary>The run limits, checked.</summary>
    public TrainLimits Limits()
    {
        long maxSteps = MaxSteps ?? DefaultMaxSteps;
        if (maxSteps <= 0) throw new UserErrorException($"--max-steps must be positive, got {maxSteps}.");
        int evalEvery = EvalEvery ?? DefaultEvalEvery;
        if (evalEvery <= 0) throw new UserErrorException($"--eval-every must be positive, got {evalEvery}.");
        int patience = Patience ?? 0;
        if (patience < 0) throw new UserErrorException($"--patience must not be negative (0 turns early stopping off), got {patience}.");
        if (Threads is int t && t <= 0) throw new UserErrorException($"--threads must be positive, got {t}.");
        TimeSpan? maxTime = null;
        if (MaxTime is not null)
        {
            try
            {
                maxTime = DurationText.Parse(MaxTime);
            }
            catch (FormatException ex)
            {
                throw new UserErrorException($"--max-time: {ex.Message}");
            }
        }
        return new TrainLimits(maxSteps, maxTime, evalEvery, patience);
    }
}
