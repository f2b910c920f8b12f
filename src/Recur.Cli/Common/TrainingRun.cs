using System.Globalization;
using Recur.Autograd;
using Recur.Kernels;
using Recur.Training;

namespace Recur.Cli.Common;

/// <summary>
/// What every <c>train</c> command does around its own model and data: checks the shared options, builds the
/// trainer's options (a resumed run keeps its saved ones unless given again), sets the threads, runs the trainer under
/// the progress display with Ctrl+C handled, and reports how the run ended with the exit code to return.
/// </summary>
public static class TrainingRun
{
    /// <summary>Exit code of a run that diverged.</summary>
    public const int DivergedExitCode = 3;

    /// <summary>Throws a <see cref="UserErrorException"/> unless <paramref name="min"/> &lt;= <paramref name="value"/> &lt;= <paramref name="max"/>.</summary>
    public static void Range(long value, long min, long max, string option)
    {
        if (value < min || value > max) throw new UserErrorException(string.Create(CultureInfo.InvariantCulture, $"{option} must be from {min:N0} to {max:N0}, got {value:N0}."));
    }

    /// <summary>Throws one error naming every missing option of <paramref name="options"/> (those whose flag is true).</summary>
    public static void RequireAll(params (string Option, bool Missing)[] options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var missing = options.Where(o => o.Missing).Select(o => o.Option).ToList();
        if (missing.Count == 1) throw new UserErrorException($"{missing[0]} is required.");
        if (missing.Count > 1) throw new UserErrorException($"these options are required: {string.Join(", ", missing)}.");
    }

    /// <summary>Checks the shared options that do not depend on the data; throws a <see cref="UserErrorException"/> naming the first bad one.</summary>
    public static void Check(CommonTrainOptions o)
    {
        ArgumentNullException.ThrowIfNull(o);
        if (o.MaxSteps is long s && s <= 0) throw new UserErrorException($"--max-steps must be positive, got {s}.");
        if (o.MaxEpochs is long e && e <= 0) throw new UserErrorException($"--max-epochs must be positive, got {e}.");
        if (o.EvalEvery is int ev && ev < 0) throw new UserErrorException($"--eval-every must not be negative (0: once per epoch), got {ev}.");
        if (o.Patience is int p && p < 0) throw new UserErrorException($"--patience must not be negative (0 turns early stopping off), got {p}.");
        if (o.Keep is string k && k is not ("best" or "last")) throw new UserErrorException($"--keep must be best or last, got '{k}'.");
        if (o.Keep == "last" && o.Patience is int pl && pl > 0)
            throw new UserErrorException($"--keep last trains for the whole budget: it cannot stop early, so leave --patience out (got {pl}).");
        if (o.GradClip is double c && (!(c >= 0) || !double.IsFinite(c))) throw new UserErrorException($"--grad-clip must not be negative (0 turns it off), got {c.ToString(CultureInfo.InvariantCulture)}.");
        if (o.WeightAverage is double w && !(w >= 0 && w < 1)) throw new UserErrorException($"--weight-average must be from 0 (off) to below 1 (a decay such as 0.999), got {w.ToString(CultureInfo.InvariantCulture)}.");
        if (o.Threads is int t && (t <= 0 || t > Environment.ProcessorCount))
            throw new UserErrorException($"--threads must be from 1 to {Environment.ProcessorCount} (the cores of this machine), got {t}.");
        MaxTime(o);
    }

    /// <summary>The parsed --max-time, if given.</summary>
    public static TimeSpan? MaxTime(CommonTrainOptions o)
    {
        ArgumentNullException.ThrowIfNull(o);
        if (o.MaxTime is null) return null;
        try
        {
            return DurationText.Parse(o.MaxTime);
        }
        catch (FormatException ex)
        {
            throw new UserErrorException($"--max-time: {ex.Message}");
        }
    }

    /// <summary>
    /// The trainer's options: the given options over the task's defaults for a new run; for a resumed run, the options
    /// it was started with unless given again. <paramref name="configure"/> adds the task's own (monitor, item name).
    /// </summary>
    public static TrainerOptions Options(CommonTrainOptions o, TrainingDefaults d, string task, RunLocation location, Func<TrainerOptions, TrainerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(o);
        ArgumentNullException.ThrowIfNull(d);
        ArgumentNullException.ThrowIfNull(location);
        bool keepLast = Keep(o, d) == "last";
        var options = new TrainerOptions
        {
            Task = task,
            RunFolder = location.RunDir,
            MaxSteps = o.MaxSteps ?? d.MaxSteps,
            MaxEpochs = o.MaxEpochs ?? d.MaxEpochs,
            MaxTime = MaxTime(o),
            EvalEvery = o.EvalEvery ?? d.EvalEvery,
            Select = keepLast ? CheckpointSelection.Last : CheckpointSelection.Best,
            Patience = keepLast ? 0 : o.Patience ?? d.Patience,
            GradClip = o.GradClip ?? d.GradClip,
            AverageDecay = (o.WeightAverage ?? d.WeightAverage) is double a && a > 0 ? a : null,
        };
        if (configure is not null) options = configure(options);
        if (location.From is Checkpoint from)
        {
            var saved = from.ReadTrainerState()["options"] as System.Text.Json.Nodes.JsonObject
                ?? throw new InvalidDataException($"checkpoint '{from.Folder}': {Checkpoint.TrainerFile} has no \"options\".");
            var given = new HashSet<string>();
            if (o.MaxSteps is not null) given.Add("max_steps");
            if (o.MaxEpochs is not null) given.Add("max_epochs");
            if (o.EvalEvery is not null) given.Add("eval_every");
            if (o.Patience is not null || o.Keep is not null) given.Add("patience");
            if (o.Keep is not null || o.Patience > 0) given.Add("select");
            if (o.GradClip is not null) given.Add("grad_clip");
            given.Add("monitor");
            given.Add("mode");
            options = options.WithSaved(saved, given);
        }
        return options;
    }

    /// <summary>The checkpoint a run keeps: --keep when given; else "best" when a --patience above 0 asks for early stopping; else the task's default.</summary>
    public static string Keep(CommonTrainOptions o, TrainingDefaults d)
    {
        ArgumentNullException.ThrowIfNull(o);
        ArgumentNullException.ThrowIfNull(d);
        return o.Keep ?? (o.Patience > 0 ? "best" : d.Keep);
    }

    /// <summary>Sets the kernels' thread limit when --threads is given.</summary>
    public static void ApplyThreads(CommonTrainOptions o)
    {
        ArgumentNullException.ThrowIfNull(o);
        if (o.Threads is int t) KernelThreading.MaxThreads = t;
    }

    /// <summary>A warning line when the warm-up is longer than the run, or null.</summary>
    public static string? WarmupWarning(int warmup, long? maxSteps) =>
        maxSteps is long m && warmup > m
            ? string.Create(CultureInfo.InvariantCulture, $"warning: --warmup {warmup} is longer than the run's {m:N0} steps, so the learning rate never reaches its peak.")
            : null;

    /// <summary>Trains with the progress display on <paramref name="output"/>; returns how the run ended.</summary>
    public static TrainResult Fit<TBatch>(Trainer trainer, IBatchSource<TBatch> data, Func<TBatch, Variable> step, Func<Metrics>? evaluate,
        RunDisplay display, TextWriter output, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        var progress = TrainProgress.For(output);
        progress.Attach(trainer, trainer.Options.RunFolder ?? ".", display);
        TrainResult? result = null;
        progress.Run(() => result = trainer.Fit(data, step, evaluate, cancel));
        return result!;
    }

    /// <summary>The closing line: why the run stopped, the best result, where the checkpoints are, how to continue.</summary>
    public static string Describe(TrainResult r, string runDir, string command, Func<double, string> best)
    {
        ArgumentNullException.ThrowIfNull(r);
        ArgumentNullException.ThrowIfNull(best);
        string why = r.Reason switch
        {
            StopReason.MaxSteps => "reached --max-steps",
            StopReason.MaxEpochs => "reached --max-epochs",
            StopReason.MaxTime => "reached --max-time",
            StopReason.EarlyStopping => "the monitored metric stopped improving (--patience)",
            StopReason.Diverged => "diverged",
            _ => "interrupted",
        };
        string bestText = r.Best is not double b ? ""
            : r.Selection == CheckpointSelection.Last ? string.Create(CultureInfo.InvariantCulture, $"; the model is the final weights (--keep last), {best(b)}")
            : string.Create(CultureInfo.InvariantCulture, $"; best {best(b)} at step {r.BestStep:N0}");
        string next = r.Reason == StopReason.Diverged ? "" : $"; continue with: {command} --resume {runDir}";
        return string.Create(CultureInfo.InvariantCulture, $"Stopped at step {r.Step:N0} ({why}){bestText}. Checkpoints in {runDir}{next}");
    }

    /// <summary>The exit code for <paramref name="r"/>: 0, <see cref="Interrupts.ExitCode"/> when interrupted, <see cref="DivergedExitCode"/> when diverged.</summary>
    public static int ExitCode(TrainResult r) => r?.Reason switch
    {
        StopReason.Interrupted => Interrupts.ExitCode,
        StopReason.Diverged => DivergedExitCode,
        _ => 0,
    };
}
