using System.Globalization;

namespace Recur.Cli.CharLm;

/// <summary>Options of <c>recur charlm sample</c>.</summary>
/// <param name="Model">A run folder (its best checkpoint is used) or a checkpoint folder.</param>
/// <param name="Prompt">Text to start from (echoed); null starts after a newline.</param>
/// <param name="Length">Characters to generate.</param>
/// <param name="Temperature">Softmax temperature.</param>
/// <param name="TopK">Draw only from the K most likely characters (0: all).</param>
/// <param name="Seed">Seed of the sampling generator.</param>
public sealed record CharLmSampleOptions(string Model, string? Prompt = null, int Length = 500, double Temperature = 0.8, int TopK = 0, ulong Seed = 1);

/// <summary><c>recur charlm sample</c>: streams generated characters as they are drawn.</summary>
public static class CharLmSample
{
    /// <summary>Loads the model and writes the prompt and <c>Length</c> generated characters to <paramref name="output"/>.</summary>
    public static int Run(CharLmSampleOptions o, TextWriter output)
    {
        if (o.Length < 0) throw new UserErrorException($"--length must not be negative, got {o.Length}.");
        if (!(o.Temperature > 0) || !double.IsFinite(o.Temperature))
            throw new UserErrorException($"--temperature must be a positive number, got {o.Temperature.ToString(CultureInfo.InvariantCulture)}.");
        if (o.TopK < 0) throw new UserErrorException($"--top-k must not be negative (0: all characters), got {o.TopK}.");
        if (o.Prompt is "") throw new UserErrorException("--prompt must not be empty; leave it out to start after a newline.");
        var checkpoint = CharLmCheckpoint.Load(o.Model, training: false);
        var vocabulary = checkpoint.Vocabulary;
        int[] prompt;
        if (o.Prompt is null)
            prompt = [vocabulary.TryGetId('\n', out int newline) ? newline : 0];
        else
        {
            try
            {
                prompt = vocabulary.Encode(o.Prompt);
            }
            catch (ArgumentException ex)
            {
                throw new UserErrorException($"--prompt: {ex.Message}");
            }
        }
        var model = checkpoint.CreateModel(new RandomGenerator(checkpoint.Config.Seed));
        var sampler = new CharLmSampler(model);
        if (o.Prompt is not null) output.Write(o.Prompt);
        output.Flush();
        sampler.Generate(prompt, o.Length, o.Temperature, o.TopK, new RandomGenerator(o.Seed), id =>
        {
            output.Write(vocabulary[id]);
            output.Flush();
        });
        output.WriteLine();
        return 0;
    }
}

/// <summary>Options of <c>recur charlm eval</c>.</summary>
/// <param name="Model">A run folder (its best checkpoint is used) or a checkpoint folder.</param>
/// <param name="Data">The text to measure the loss on (all of it).</param>
public sealed record CharLmEvalOptions(string Model, string Data);

/// <summary><c>recur charlm eval</c>: the model's loss on a text in nats and bits per character.</summary>
public static class CharLmEval
{
    /// <summary>Prints the loss; returns the exit code.</summary>
    public static int Run(CharLmEvalOptions o, TextWriter output)
    {
        var checkpoint = CharLmCheckpoint.Load(o.Model, training: false);
        string text = CharLmTrain.LoadCorpus(o.Data).Text;
        if (text.Length < 2) throw new UserErrorException($"data file '{o.Data}' has {text.Length} character; at least 2 are needed to measure a loss.");
        int[] ids;
        try
        {
            ids = checkpoint.Vocabulary.Encode(text);
        }
        catch (ArgumentException ex)
        {
            throw new UserErrorException($"data file '{o.Data}': {ex.Message}");
        }
        var model = checkpoint.CreateModel(new RandomGenerator(checkpoint.Config.Seed));
        double loss = CharLmEvaluator.Loss(model, ids);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{loss:F4} nats/char, {loss / Math.Log(2):F4} bits/char over {ids.Length:N0} characters of {Path.GetFileName(o.Data)} ({checkpoint.Folder})"));
        return 0;
    }
}
