using System.CommandLine;
using System.Globalization;
using Recur.Cli.CharLm;
using Recur.Cli.Common;
using Recur.Training;

namespace Recur.Cli.Demo;

/// <summary>Options of <c>recur demo</c>.</summary>
/// <param name="Data">Text to train on (default: the bundled tiny-shakespeare).</param>
/// <param name="Out">Run folder (default: a new temporary folder).</param>
/// <param name="MaxTime">Training time cap.</param>
/// <param name="MaxSteps">Step cap (and the cosine's length).</param>
/// <param name="SampleLength">Characters to generate at the end.</param>
/// <param name="Temperature">Sampling temperature.</param>
/// <param name="Seed">Seed of training and sampling.</param>
/// <param name="Model">Model and training options to use instead of the defaults (tests use tiny models).</param>
public sealed record DemoOptions(string? Data = null, string? Out = null, string MaxTime = DemoCommand.DefaultMaxTime, long MaxSteps = DemoCommand.DefaultMaxSteps,
    int SampleLength = 400, double Temperature = 0.8, ulong Seed = 1, CharLmTrainOptions? Model = null);

/// <summary>
/// <c>recur demo</c>: trains the default character language model (<c>recur charlm train</c>) on the bundled
/// tiny-shakespeare for a few minutes, reports what it learned against the unigram baseline, and prints a sample.
/// </summary>
public static class DemoCommand
{
    /// <summary>The default time cap.</summary>
    public const string DefaultMaxTime = "3m";

    /// <summary>The default step cap: about what fits in the time cap on two cores.</summary>
    public const long DefaultMaxSteps = 1000;

    /// <summary>The bundled corpus, copied next to the program at build time.</summary>
    public static string BundledData => Path.Combine(AppContext.BaseDirectory, "data", "tinyshakespeare", "input.txt");

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var data = new Option<string?>("--data") { Description = "Text file to train on (default: the bundled tiny-shakespeare)." };
        var output = new Option<string?>("--out") { Description = "Folder for the run (default: a new temporary folder)." };
        var maxTime = new Option<string>("--max-time") { Description = "Training time, e.g. 30s for a quick look or 10m for a better model.", DefaultValueFactory = _ => DefaultMaxTime };
        var maxSteps = new Option<long>("--max-steps") { Description = "Training steps at most (the learning rate decays over them).", DefaultValueFactory = _ => DefaultMaxSteps };
        var sample = new Option<int>("--sample-length") { Description = "Characters to generate at the end.", DefaultValueFactory = _ => 400 };
        var temp = new Option<double>("--temperature") { Description = "Sampling temperature.", DefaultValueFactory = _ => 0.8 };
        var seed = new Option<ulong>("--seed") { Description = "Random seed.", DefaultValueFactory = _ => 1UL };
        var cmd = new Command("demo", "Train a character-level LSTM language model on tiny-shakespeare for a few minutes, then print a sample.")
        {
            data, output, maxTime, maxSteps, sample, temp, seed,
        };
        cmd.SetAction(p => CliErrors.Run(p, () => Interrupts.Handle(token => Run(new DemoOptions(p.GetValue(data), p.GetValue(output),
            p.GetValue(maxTime)!, p.GetValue(maxSteps), p.GetValue(sample), p.GetValue(temp), p.GetValue(seed)), Console.Out, token))));
        return cmd;
    }

    /// <summary>Trains, reports and samples; returns the exit code.</summary>
    public static int Run(DemoOptions o, TextWriter output, CancellationToken cancel = default)
    {
        if (o.SampleLength < 0) throw new UserErrorException($"--sample-length must not be negative, got {o.SampleLength}.");
        if (!(o.Temperature >= Models.CharLmSampler.MinTemperature && o.Temperature <= 1000))
            throw new UserErrorException($"--temperature must be from {Models.CharLmSampler.MinTemperature} to 1000, got {o.Temperature.ToString(CultureInfo.InvariantCulture)}.");
        string data = o.Data ?? BundledData;
        var model = o.Model ?? new CharLmTrainOptions();
        string runDir = o.Out ?? Path.Combine(Path.GetTempPath(), $"recur-demo-{Guid.NewGuid():N}"[..20]);
        var train = model with
        {
            Data = data,
            Training = model.Training with { Out = runDir, MaxTime = o.MaxTime, MaxSteps = o.MaxSteps, Seed = o.Seed },
        };
        var outcome = CharLmTrain.Run(train, output, cancel);
        if (outcome.Reason is StopReason.Interrupted or StopReason.Diverged || outcome.Best is not double best) return TrainingRun.ExitCode(outcome);

        double baseline = CharLmTrain.LoadCorpus(data).UnigramValidationLoss();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Learned: validation loss {best:F3} nats/char vs {baseline:F3} for character frequencies alone ({100 * (1 - (best / baseline)):F0}% lower)."));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Sample (temperature {o.Temperature}):"));
        CharLmSample.Run(new CharLmSampleOptions(runDir, Length: o.SampleLength, Temperature: o.Temperature, Seed: o.Seed), output);
        // Suggest a prompt only where it is known to be in the vocabulary (the bundled plays).
        string prompt = o.Data is null ? " --prompt \"ROMEO:\"" : "";
        output.WriteLine($"More: recur charlm sample --model {runDir}{prompt}   (or train longer: recur charlm train --help)");
        return 0;
    }
}
