using System.Globalization;
using System.Text.Json.Nodes;
using Recur.IO;
using Recur.NN;
using Recur.Optim;

namespace Recur.Cli.Common;

/// <summary>
/// How a task's model is optimized: AdamW with its learning rate and weight decay, the warm-up and decay schedule,
/// and the seed. Saved under <c>"training"</c> in every checkpoint's <c>config.json</c>; a resumed run keeps it and
/// refuses given options that differ.
/// </summary>
public sealed record TrainingConfig
{
    /// <summary>Peak learning rate.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>cosine, step or constant.</summary>
    public string Schedule { get; init; } = "cosine";

    /// <summary>Steps of linear warm-up.</summary>
    public int WarmupSteps { get; init; }

    /// <summary>The step at which the cosine reaches its floor.</summary>
    public int DecaySteps { get; init; } = 1;

    /// <summary>Steps between step decays.</summary>
    public int DecayEvery { get; init; } = 1000;

    /// <summary>Factor of each step decay.</summary>
    public double DecayFactor { get; init; } = 0.5;

    /// <summary>AdamW's decoupled weight decay.</summary>
    public double WeightDecay { get; init; } = 0.01;

    /// <summary>Seed of initialization, dropout and data order.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>A new run's configuration: the given options over the task's defaults; the cosine spans <paramref name="runSteps"/> unless --decay-steps says otherwise.</summary>
    public static TrainingConfig New(CommonTrainOptions o, TrainingDefaults d, long runSteps)
    {
        ArgumentNullException.ThrowIfNull(o);
        ArgumentNullException.ThrowIfNull(d);
        var c = new TrainingConfig
        {
            LearningRate = o.LearningRate ?? d.LearningRate,
            Schedule = o.Schedule?.ToLowerInvariant() ?? d.Schedule,
            WarmupSteps = o.Warmup ?? d.Warmup,
            DecaySteps = o.DecaySteps ?? (int)Math.Clamp(runSteps, 1, int.MaxValue),
            DecayEvery = o.DecayEvery ?? d.DecayEvery,
            DecayFactor = o.DecayFactor ?? d.DecayFactor,
            WeightDecay = o.WeightDecay ?? d.WeightDecay,
            Seed = o.Seed ?? d.Seed,
        };
        c.Validate();
        return c;
    }

    /// <summary>The JSON form.</summary>
    public JsonObject ToJson() => JsonConfig.ToJson(this);

    /// <summary>Reads and checks the JSON form.</summary>
    /// <exception cref="InvalidDataException">Malformed or out of range.</exception>
    public static TrainingConfig FromJson(JsonNode? json) => JsonConfig.Read<TrainingConfig>(json, "the training configuration", c =>
    {
        try
        {
            c.Validate();
        }
        catch (UserErrorException ex)
        {
            throw new InvalidDataException(ex.Message, ex);
        }
    });

    /// <summary>The schedule (warm-up, then cosine to 10% of the peak at <see cref="DecaySteps"/>, step decay, or constant).</summary>
    public LearningRateSchedule CreateSchedule() => new(LearningRate, WarmupSteps, DecaySteps, Schedule switch
    {
        "step" => DecayKind.Step,
        "constant" => DecayKind.Constant,
        _ => DecayKind.Cosine,
    }, MinFactor: 0.1, StepEvery: DecayEvery, StepFactor: DecayFactor);

    /// <summary>AdamW over <paramref name="model"/>'s trainable parameters.</summary>
    public AdamW CreateOptimizer(Module model) =>
        new(model.NamedParameters().Where(p => p.Value.RequiresGrad), LearningRate, weightDecay: WeightDecay);

    /// <summary>The given options whose values differ from this configuration, as "--option given (checkpoint: value)".</summary>
    public List<string> Conflicts(CommonTrainOptions o)
    {
        ArgumentNullException.ThrowIfNull(o);
        var list = new List<string>();
        void Check<T>(string option, T? given, T actual) where T : struct
        {
            if (given is T g && !EqualityComparer<T>.Default.Equals(g, actual)) list.Add(string.Create(CultureInfo.InvariantCulture, $"{option} {g} (checkpoint: {actual})"));
        }
        if (o.Schedule is not null && !o.Schedule.Equals(Schedule, StringComparison.OrdinalIgnoreCase)) list.Add($"--schedule {o.Schedule} (checkpoint: {Schedule})");
        Check("--lr", o.LearningRate, LearningRate);
        Check("--warmup", o.Warmup, WarmupSteps);
        Check("--decay-steps", o.DecaySteps, DecaySteps);
        Check("--decay-every", o.DecayEvery, DecayEvery);
        Check("--decay-factor", o.DecayFactor, DecayFactor);
        Check("--weight-decay", o.WeightDecay, WeightDecay);
        Check("--seed", o.Seed, Seed);
        return list;
    }

    /// <summary>Throws a <see cref="UserErrorException"/> naming the option of the first value out of range.</summary>
    public void Validate()
    {
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate) || LearningRate > 10) throw new UserErrorException($"--lr must be a positive number up to 10, got {Num(LearningRate)}.");
        if (Schedule is not ("cosine" or "step" or "constant")) throw new UserErrorException($"--schedule must be cosine, step or constant, got '{Schedule}'.");
        if (WarmupSteps < 0) throw new UserErrorException($"--warmup must not be negative, got {WarmupSteps}.");
        if (DecaySteps <= 0) throw new UserErrorException($"--decay-steps must be positive, got {DecaySteps}.");
        if (DecayEvery <= 0) throw new UserErrorException($"--decay-every must be positive, got {DecayEvery}.");
        if (!(DecayFactor > 0 && DecayFactor <= 1)) throw new UserErrorException($"--decay-factor must be in (0, 1], got {Num(DecayFactor)}.");
        if (!(WeightDecay >= 0) || !double.IsFinite(WeightDecay)) throw new UserErrorException($"--weight-decay must not be negative, got {Num(WeightDecay)}.");
    }

    private static string Num(double v) => v.ToString(CultureInfo.InvariantCulture);
}
