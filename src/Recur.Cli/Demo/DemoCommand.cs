using System.CommandLine;
using System.Diagnostics;
using System.Globalization;

namespace Recur.Cli.Demo;

/// <summary>Options of <c>recur demo</c>.</summary>
public sealed record DemoOptions(string? DataPath, int Steps, int BatchSize, int Context, int EmbeddingSize, int HiddenSize,
    double LearningRate, ulong Seed, int SampleLength, double Temperature, int EvalEvery);

/// <summary>
/// <c>recur demo</c>: trains a small character-level language model on the bundled tiny-shakespeare and prints
/// what it learned (validation loss against the unigram baseline, and a sample).
/// </summary>
public static class DemoCommand
{
    /// <summary>The bundled corpus, copied next to the program at build time.</summary>
    public static string BundledData => Path.Combine(AppContext.BaseDirectory, "data", "tinyshakespeare", "input.txt");

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var data = new Option<string?>("--data") { Description = "Text file to train on (default: the bundled tiny-shakespeare)." };
        var steps = new Option<int>("--steps") { Description = "Training steps.", DefaultValueFactory = _ => 3000 };
        var batch = new Option<int>("--batch-size") { Description = "Examples per step.", DefaultValueFactory = _ => 128 };
        var context = new Option<int>("--context") { Description = "Characters of context the model sees.", DefaultValueFactory = _ => 8 };
        var embed = new Option<int>("--embedding-size") { Description = "Size of each character's embedding.", DefaultValueFactory = _ => 24 };
        var hidden = new Option<int>("--hidden-size") { Description = "Hidden layer size.", DefaultValueFactory = _ => 256 };
        var lr = new Option<double>("--lr") { Description = "AdamW learning rate.", DefaultValueFactory = _ => 3e-3 };
        var seed = new Option<ulong>("--seed") { Description = "Random seed.", DefaultValueFactory = _ => 1UL };
        var sample = new Option<int>("--sample-length") { Description = "Characters to generate at the end.", DefaultValueFactory = _ => 400 };
        var temp = new Option<double>("--temperature") { Description = "Sampling temperature.", DefaultValueFactory = _ => 0.8 };
        var evalEvery = new Option<int>("--eval-every") { Description = "Steps between validation reports.", DefaultValueFactory = _ => 500 };

        var cmd = new Command("demo", "Train a small character-level language model on tiny-shakespeare and print a sample.")
        {
            data, steps, batch, context, embed, hidden, lr, seed, sample, temp, evalEvery,
        };
        cmd.SetAction(parse => CliErrors.Run(parse, () => Run(new DemoOptions(
            parse.GetValue(data), parse.GetValue(steps), parse.GetValue(batch), parse.GetValue(context), parse.GetValue(embed),
            parse.GetValue(hidden), parse.GetValue(lr), parse.GetValue(seed), parse.GetValue(sample), parse.GetValue(temp),
            parse.GetValue(evalEvery)), Console.Out)));
        return cmd;
    }

    /// <summary>Trains and reports; returns the exit code.</summary>
    public static int Run(DemoOptions o, TextWriter output)
    {
        Validate(o);
        string path = o.DataPath ?? BundledData;
        var corpus = CharCorpus.Load(path, o.Context);
        output.WriteLine($"Corpus: {Path.GetFileName(path)}, {corpus.Length:N0} characters, vocabulary {corpus.Vocabulary.Length}; " +
                         $"train on the first 90%, validate on the last 10%.");
        var rng = new RandomGenerator(o.Seed);
        var model = new CharMlp(corpus.Vocabulary.Length, o.Context, o.EmbeddingSize, o.HiddenSize, rng);
        var trainer = new CharMlpTrainer(model, corpus, o.BatchSize, o.LearningRate, o.Steps, rng);

        double baseline = corpus.UnigramValidationLoss();
        output.WriteLine($"Model: {o.Context} characters of context -> embedding {o.EmbeddingSize} -> tanh {o.HiddenSize} -> softmax over {corpus.Vocabulary.Length}; " +
                         $"{model.Parameters().Sum(p => p.Value.Length):N0} parameters, AdamW lr {o.LearningRate.ToString(CultureInfo.InvariantCulture)}.");
        output.WriteLine($"Baseline (character frequencies only): {baseline:F3} nats/char. Before training: {trainer.ValidationLoss():F3}.");

        var clock = Stopwatch.StartNew();
        double running = double.NaN;
        for (int step = 1; step <= o.Steps; step++)
        {
            double loss = trainer.Step(step);
            running = double.IsNaN(running) ? loss : 0.98 * running + 0.02 * loss;
            if (step % o.EvalEvery == 0 || step == o.Steps)
            {
                double val = trainer.ValidationLoss();
                output.WriteLine(FormattableString.Invariant(
                    $"step {step,5}  train {running:F3}  validation {val:F3} nats/char ({val / Math.Log(2):F3} bits)  {clock.Elapsed.TotalSeconds:F1}s"));
            }
        }
        double final = trainer.ValidationLoss();
        output.WriteLine(FormattableString.Invariant(
            $"Learned: validation loss {final:F3} nats/char vs {baseline:F3} for character frequencies alone ({100 * (1 - final / baseline):F0}% lower)."));
        output.WriteLine($"Sample (temperature {o.Temperature.ToString(CultureInfo.InvariantCulture)}):");
        output.WriteLine(trainer.Sample(o.SampleLength, o.Temperature, new RandomGenerator(o.Seed + 1)));
        return 0;
    }

    private static void Validate(DemoOptions o)
    {
        if (o.Steps <= 0) throw new UserErrorException($"--steps must be positive, got {o.Steps}.");
        if (o.BatchSize <= 0) throw new UserErrorException($"--batch-size must be positive, got {o.BatchSize}.");
        if (o.Context <= 0) throw new UserErrorException($"--context must be positive, got {o.Context}.");
        if (o.EmbeddingSize <= 0) throw new UserErrorException($"--embedding-size must be positive, got {o.EmbeddingSize}.");
        if (o.HiddenSize <= 0) throw new UserErrorException($"--hidden-size must be positive, got {o.HiddenSize}.");
        if (!(o.LearningRate > 0) || double.IsInfinity(o.LearningRate)) throw new UserErrorException($"--lr must be a positive number, got {o.LearningRate}.");
        if (o.SampleLength < 0) throw new UserErrorException($"--sample-length must not be negative, got {o.SampleLength}.");
        if (!(o.Temperature > 0) || double.IsInfinity(o.Temperature)) throw new UserErrorException($"--temperature must be a positive number, got {o.Temperature}.");
        if (o.EvalEvery <= 0) throw new UserErrorException($"--eval-every must be positive, got {o.EvalEvery}.");
    }
}
