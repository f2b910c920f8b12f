using System.CommandLine;
using System.Globalization;

namespace Recur.Cli.Common;

/// <summary>The defaults of the shared training options for one task (shown in its <c>--help</c>).</summary>
public sealed record TrainingDefaults
{
    /// <summary>Step limit (null: none).</summary>
    public long? MaxSteps { get; init; }

    /// <summary>Epoch limit (null: none).</summary>
    public long? MaxEpochs { get; init; }

    /// <summary>Steps between evaluations; 0 evaluates after every epoch.</summary>
    public int EvalEvery { get; init; }

    /// <summary>Evaluations without improvement before stopping; 0 never stops early.</summary>
    public int Patience { get; init; }

    /// <summary>The run's model: "best" (the best evaluation; early stopping by <see cref="Patience"/>) or "last" (the final weights).</summary>
    public string Keep { get; init; } = "best";

    /// <summary>Peak learning rate.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>cosine, step or constant.</summary>
    public string Schedule { get; init; } = "cosine";

    /// <summary>Steps of linear warm-up.</summary>
    public int Warmup { get; init; }

    /// <summary>Steps between decays of the step schedule.</summary>
    public int DecayEvery { get; init; } = 1000;

    /// <summary>Factor of each step decay.</summary>
    public double DecayFactor { get; init; } = 0.5;

    /// <summary>AdamW's decoupled weight decay.</summary>
    public double WeightDecay { get; init; } = 0.01;

    /// <summary>Largest gradient norm; 0 for none.</summary>
    public double GradClip { get; init; } = 1;

    /// <summary>Seed of initialization, dropout and shuffling.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Decay of the weight average that is evaluated and saved (null: the weights as they are).</summary>
    public double? WeightAverage { get; init; }
}

/// <summary>
/// The training options every task shares, as given on the command line: null means "not given", so that a new run
/// takes the task's <see cref="TrainingDefaults"/> and a resumed run the values it was started with.
/// </summary>
public sealed record CommonTrainOptions
{
    /// <summary>--out: the run folder of a new run (or of a run continued from --resume into a new folder).</summary>
    public string? Out { get; init; }

    /// <summary>--resume: a run folder to continue, or a checkpoint folder to continue from into --out.</summary>
    public string? Resume { get; init; }

    /// <summary>--max-steps</summary>
    public long? MaxSteps { get; init; }

    /// <summary>--max-epochs</summary>
    public long? MaxEpochs { get; init; }

    /// <summary>--max-time, e.g. 90s, 30m, 1h</summary>
    public string? MaxTime { get; init; }

    /// <summary>--eval-every</summary>
    public int? EvalEvery { get; init; }

    /// <summary>--patience</summary>
    public int? Patience { get; init; }

    /// <summary>--keep: best or last</summary>
    public string? Keep { get; init; }

    /// <summary>--lr</summary>
    public double? LearningRate { get; init; }

    /// <summary>--schedule</summary>
    public string? Schedule { get; init; }

    /// <summary>--warmup</summary>
    public int? Warmup { get; init; }

    /// <summary>--decay-steps</summary>
    public int? DecaySteps { get; init; }

    /// <summary>--decay-every</summary>
    public int? DecayEvery { get; init; }

    /// <summary>--decay-factor</summary>
    public double? DecayFactor { get; init; }

    /// <summary>--weight-decay</summary>
    public double? WeightDecay { get; init; }

    /// <summary>--grad-clip</summary>
    public double? GradClip { get; init; }

    /// <summary>--seed</summary>
    public ulong? Seed { get; init; }

    /// <summary>--threads</summary>
    public int? Threads { get; init; }

    /// <summary>--weight-average: the decay of an exponential moving average of the weights, evaluated and saved.</summary>
    public double? WeightAverage { get; init; }
}

/// <summary>Declares the shared training options once, with a task's defaults, and reads them back from a parse.</summary>
public sealed class TrainingOptionSet
{
    private readonly Option<string?> _out = new("--out");
    private readonly Option<string?> _resume = new("--resume");
    private readonly Option<long?> _maxSteps = new("--max-steps");
    private readonly Option<long?> _maxEpochs = new("--max-epochs");
    private readonly Option<string?> _maxTime = new("--max-time");
    private readonly Option<int?> _evalEvery = new("--eval-every");
    private readonly Option<int?> _patience = new("--patience");
    private readonly Option<string?> _keep = new("--keep");
    private readonly Option<double?> _lr = new("--lr");
    private readonly Option<string?> _schedule = new("--schedule");
    private readonly Option<int?> _warmup = new("--warmup");
    private readonly Option<int?> _decaySteps = new("--decay-steps");
    private readonly Option<int?> _decayEvery = new("--decay-every");
    private readonly Option<double?> _decayFactor = new("--decay-factor");
    private readonly Option<double?> _weightDecay = new("--weight-decay");
    private readonly Option<double?> _gradClip = new("--grad-clip");
    private readonly Option<ulong?> _seed = new("--seed");
    private readonly Option<int?> _threads = new("--threads");
    private readonly Option<double?> _average = new("--weight-average");

    /// <summary>Creates the options, their help showing <paramref name="d"/> (or, for the options named in <paramref name="defaultText"/>, that text).</summary>
    public TrainingOptionSet(TrainingDefaults d, string outWhat, IReadOnlyDictionary<string, string>? defaultText = null)
    {
        ArgumentNullException.ThrowIfNull(d);
        _out.Description = $"Folder for the run: {outWhat}.";
        _resume.Description = "Continue the run in this folder from its last checkpoint (with --out: continue it, or a checkpoint folder, into a new run folder).";
        _maxSteps.Description = $"Stop after this many steps in all{Default(d.MaxSteps is long s ? s.ToString("N0", CultureInfo.InvariantCulture) : "none")}.";
        _maxEpochs.Description = $"Stop after this many passes over the training data{Default(d.MaxEpochs?.ToString(CultureInfo.InvariantCulture) ?? "none")}.";
        _maxTime.Description = $"Stop after this long, e.g. 90s, 30m, 1h{Default("none")}.";
        _evalEvery.Description = $"Steps between evaluations and checkpoints, 0 for once per epoch{Default(d.EvalEvery)}.";
        _patience.Description = $"Stop after this many evaluations without a better result, 0 for never{Default(d.Patience)}.";
        _keep.Description = $"The run's model (best/): best, the evaluation with the best validation result, or last, the final weights after the whole budget (no early stopping){Default(d.Keep)}.";
        _lr.Description = $"Peak AdamW learning rate{Default(d.LearningRate)}.";
        _schedule.Description = $"Learning-rate decay after warm-up: cosine, step or constant{Default(d.Schedule)}.";
        _warmup.Description = $"Steps of linear warm-up{Default(d.Warmup)}.";
        _decaySteps.Description = $"Step at which the cosine reaches 10% of the peak{Default("the run's length")}.";
        _decayEvery.Description = $"Steps between decays of the step schedule{Default(d.DecayEvery)}.";
        _decayFactor.Description = $"Factor of each step decay{Default(d.DecayFactor)}.";
        _weightDecay.Description = $"AdamW weight decay{Default(d.WeightDecay)}.";
        _gradClip.Description = $"Largest gradient norm, 0 for none{Default(d.GradClip)}.";
        _seed.Description = $"Seed of initialization, dropout and data order{Default(d.Seed)}.";
        _threads.Description = $"Most threads a kernel may use{Default($"{Environment.ProcessorCount}, the cores")}.";
        _average.Description = $"Evaluate and save a moving average of the weights with this decay, e.g. 0.999, 0 for none{Default(d.WeightAverage?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none")}.";
        Defaults = d;
        if (defaultText is null) return;
        foreach (var o in All())
        {
            if (!defaultText.TryGetValue(o.Name, out var text) || o.Description is not string description) continue;
            int at = description.LastIndexOf(" [default: ", StringComparison.Ordinal);
            o.Description = (at >= 0 ? description[..at] : description.TrimEnd('.')) + text + ".";
        }
    }

    private Option[] All() => [_out, _resume, _maxSteps, _maxEpochs, _maxTime, _evalEvery, _patience, _keep, _lr, _schedule, _warmup, _decaySteps,
        _decayEvery, _decayFactor, _weightDecay, _gradClip, _seed, _threads, _average];

    /// <summary>The task's defaults.</summary>
    public TrainingDefaults Defaults { get; }

    /// <summary>"[default: X]" as System.CommandLine writes it for options with a default value.</summary>
    public static string Default(object value) => string.Create(CultureInfo.InvariantCulture, $" [default: {value}]");

    /// <summary>Adds every option to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        foreach (var o in All()) command.Options.Add(o);
    }

    /// <summary>The values given in <paramref name="p"/>.</summary>
    public CommonTrainOptions Bind(ParseResult p)
    {
        ArgumentNullException.ThrowIfNull(p);
        return new CommonTrainOptions
        {
            Out = p.GetValue(_out),
            Resume = p.GetValue(_resume),
            MaxSteps = p.GetValue(_maxSteps),
            MaxEpochs = p.GetValue(_maxEpochs),
            MaxTime = p.GetValue(_maxTime),
            EvalEvery = p.GetValue(_evalEvery),
            Patience = p.GetValue(_patience),
            Keep = p.GetValue(_keep)?.Trim().ToLowerInvariant(),
            LearningRate = p.GetValue(_lr),
            Schedule = p.GetValue(_schedule),
            Warmup = p.GetValue(_warmup),
            DecaySteps = p.GetValue(_decaySteps),
            DecayEvery = p.GetValue(_decayEvery),
            DecayFactor = p.GetValue(_decayFactor),
            WeightDecay = p.GetValue(_weightDecay),
            GradClip = p.GetValue(_gradClip),
            Seed = p.GetValue(_seed),
            Threads = p.GetValue(_threads),
            WeightAverage = p.GetValue(_average),
        };
    }
}
