using System.Globalization;
using Recur.Training;
using Spectre.Console;

namespace Recur.Cli.Common;

/// <summary>How a task names what it trains on and reports, for the progress display and the pictures.</summary>
/// <param name="Title">The plots' title, e.g. "LSTM 2x256, seq 64, batch 32".</param>
/// <param name="ItemName">What the throughput counts, e.g. "chars" or "sentences".</param>
/// <param name="LossUnit">The loss's unit for the plot's axis, e.g. "nats per character".</param>
/// <param name="EvaluationLine">The line printed after each evaluation (null: every metric, name=value).</param>
public sealed record RunDisplay(string Title, string ItemName, string LossUnit, Func<Metrics, bool, string>? EvaluationLine = null);

/// <summary>
/// Shows a training run and draws its pictures: a live Spectre.Console progress bar on a terminal, or plain lines
/// (every evaluation, and a progress line at most every <see cref="PlainInterval"/>) when the output is redirected;
/// after each evaluation <c>loss.png</c> (and <c>metrics.png</c> when the evaluation measures more than losses).
/// </summary>
public abstract class TrainProgress : ITrainingObserver
{
    /// <summary>How often the plain display prints a progress line between evaluations.</summary>
    public static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(30);

    private Trainer? _trainer;
    private RunDisplay _display = new("", "items", "loss");
    private string? _runDir;
    private bool _plotFailed;

    /// <summary>The live display when <paramref name="output"/> is a terminal's console, else the plain one writing to it.</summary>
    public static TrainProgress For(TextWriter output) =>
        ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive
            ? new LiveProgress() : new PlainProgress(output);

    /// <summary>Follows <paramref name="trainer"/>, writing pictures into <paramref name="runDir"/>.</summary>
    public void Attach(Trainer trainer, string runDir, RunDisplay display)
    {
        _trainer = trainer;
        _runDir = runDir;
        _display = display;
        trainer.Observer = this;
    }

    /// <summary>Runs <paramref name="body"/> with the display shown.</summary>
    public abstract void Run(Action body);

    /// <summary>Prints a line of text (an evaluation, a saved checkpoint).</summary>
    public abstract void Line(string text);

    /// <summary>Shows the state after a step.</summary>
    protected abstract void Show(string text, double fraction);

    void ITrainingObserver.OnStep(in TrainingProgress p) => Show(Describe(p), p.Fraction);

    void ITrainingObserver.OnMessage(string text) => Line(text);

    void ITrainingObserver.OnEvaluation(Metrics record, bool improved)
    {
        DrawPlots();
        Line(_display.EvaluationLine?.Invoke(record, improved) ?? DefaultLine(record, improved));
    }

    private string Describe(in TrainingProgress p)
    {
        string steps = p.MaxSteps is long m ? $"{p.Step:N0}/{m:N0}" : $"{p.Step:N0}";
        string monitored = p.Monitored is double v ? Loss(v) : "-";
        return string.Create(CultureInfo.InvariantCulture,
            $"step {steps}  epoch {p.Epoch:F1}  train {Loss(p.TrainLoss)}  {_trainer?.Options.Monitor ?? "val"} {monitored}  {Rate(p.ItemsPerSecond)} {_display.ItemName}/s  ETA {DurationText.Format(p.Eta)}");
    }

    /// <summary>Every value of <paramref name="record"/> but the step, with a star on the best.</summary>
    public static string DefaultLine(Metrics record, bool improved)
    {
        var parts = record.Where(kv => kv.Key is not ("step" or "elapsed_s"))
            .Select(kv => kv.Key == "lr" ? FormattableString.Invariant($"lr {kv.Value:G3}") : FormattableString.Invariant($"{kv.Key} {Short(kv.Value)}"));
        return string.Create(CultureInfo.InvariantCulture,
            $"step {record["step"],7:N0}  {string.Join("  ", parts)}  {DurationText.Format(TimeSpan.FromSeconds(record.GetValueOrNaN("elapsed_s") is double e && double.IsFinite(e) ? e : 0))}{(improved ? "  *best" : "")}");
    }

    /// <summary>A throughput such as 24.2k or 930.</summary>
    public static string Rate(double perSecond) => perSecond >= 10_000
        ? (perSecond / 1000).ToString("F1", CultureInfo.InvariantCulture) + "k"
        : perSecond.ToString("F0", CultureInfo.InvariantCulture);

    private static string Loss(double v) => double.IsFinite(v) ? v.ToString("F3", CultureInfo.InvariantCulture) : "-";

    private static string Short(double v) => !double.IsFinite(v) ? "-" : Math.Abs(v) >= 1000 ? v.ToString("N0", CultureInfo.InvariantCulture) : v.ToString("F4", CultureInfo.InvariantCulture);

    // The pictures are a convenience: a machine that cannot draw them (no fonts, no native graphics) still trains.
    private void DrawPlots()
    {
        if (_plotFailed || _trainer is null || _runDir is null) return;
        string file = Path.Combine(_runDir, "loss.png");
        try
        {
            CurvePlot.WriteLosses(file, _trainer.History, _display.Title, _display.LossUnit);
            file = Path.Combine(_runDir, "metrics.png");
            CurvePlot.WriteMetrics(file, _trainer.History, _display.Title);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _plotFailed = true;
            Line($"warning: cannot draw {file} ({ex.GetType().Name}: {ex.Message}); training goes on, metrics.jsonl has the numbers.");
        }
    }

    private sealed class PlainProgress(TextWriter output) : TrainProgress
    {
        private DateTime _last = DateTime.UtcNow;

        public override void Run(Action body) => body();

        protected override void Show(string text, double fraction)
        {
            if (DateTime.UtcNow - _last < PlainInterval) return;
            _last = DateTime.UtcNow;
            output.WriteLine(text);
        }

        public override void Line(string text)
        {
            _last = DateTime.UtcNow;
            output.WriteLine(text);
        }
    }

    private sealed class LiveProgress : TrainProgress
    {
        private ProgressTask? _task;

        public override void Run(Action body) => AnsiConsole.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new ProgressBarColumn(), new PercentageColumn(), new TaskDescriptionColumn { Alignment = Justify.Left }, new SpinnerColumn())
            .Start(ctx =>
            {
                _task = ctx.AddTask("starting", maxValue: 1000);
                body();
                _task.StopTask();
            });

        protected override void Show(string text, double fraction)
        {
            if (_task is null) return;
            _task.Description = Markup.Escape(text);
            _task.Value = Math.Clamp(fraction, 0, 1) * _task.MaxValue;
        }

        public override void Line(string text) => AnsiConsole.WriteLine(text);
    }
}
