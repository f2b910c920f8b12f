using System.Globalization;
using Recur.Training;
using Spectre.Console;

namespace Recur.Cli.CharLm;

/// <summary>What the progress display shows after each step.</summary>
/// <param name="Step">Steps taken.</param>
/// <param name="MaxSteps">The step limit.</param>
/// <param name="TrainLoss">Mean training loss since the last evaluation.</param>
/// <param name="ValLoss">The last validation loss, if any.</param>
/// <param name="CharsPerSecond">Recent training throughput.</param>
/// <param name="Fraction">How far the run is, 0..1 (steps or time, whichever is further).</param>
/// <param name="Eta">Estimated time left.</param>
public readonly record struct StepProgress(long Step, long MaxSteps, double TrainLoss, double? ValLoss, double CharsPerSecond, double Fraction, TimeSpan Eta)
{
    /// <summary>One line: step, losses, speed and ETA.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"step {Step:N0}/{MaxSteps:N0}  train {Loss(TrainLoss)}  val {Loss(ValLoss ?? double.NaN)}  {CharsPerSecond / 1000:F1}k chars/s  ETA {DurationText.Format(Eta)}");

    private static string Loss(double v) => double.IsFinite(v) ? v.ToString("F3", CultureInfo.InvariantCulture) : "-";
}

/// <summary>
/// Shows a training run: a live Spectre.Console progress bar on a terminal, or plain lines (every evaluation, and a
/// progress line at most every <see cref="PlainInterval"/>) when the output is redirected or is not the console.
/// </summary>
public abstract class TrainProgress
{
    /// <summary>How often the plain display prints a progress line between evaluations.</summary>
    public static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(30);

    /// <summary>The live display when <paramref name="output"/> is a terminal's console, else the plain one writing to it.</summary>
    public static TrainProgress For(TextWriter output) =>
        ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive
            ? new LiveProgress() : new PlainProgress(output);

    /// <summary>Runs <paramref name="body"/> with the display shown.</summary>
    public abstract void Run(Action body);

    /// <summary>Shows the state after a step.</summary>
    public abstract void Update(in StepProgress progress);

    /// <summary>Prints a line of text (an evaluation, a saved checkpoint).</summary>
    public abstract void Line(string text);

    private sealed class PlainProgress(TextWriter output) : TrainProgress
    {
        private DateTime _last = DateTime.UtcNow;

        public override void Run(Action body) => body();

        public override void Update(in StepProgress progress)
        {
            if (DateTime.UtcNow - _last < PlainInterval) return;
            _last = DateTime.UtcNow;
            output.WriteLine(progress.ToString());
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

        public override void Update(in StepProgress progress)
        {
            if (_task is null) return;
            _task.Description = Markup.Escape(progress.ToString());
            _task.Value = Math.Clamp(progress.Fraction, 0, 1) * _task.MaxValue;
        }

        public override void Line(string text) => AnsiConsole.WriteLine(text);
    }
}
