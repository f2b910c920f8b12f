using System.Globalization;
using Recur.Models;

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
        if (!(o.Temperature >= CharLmSampler.MinTemperature && o.Temperature <= 1000))
            throw new UserErrorException($"--temperature must be from {CharLmSampler.MinTemperature} to 1000 (for the most likely character every time, use --top-k 1), got {o.Temperature.ToString(CultureInfo.InvariantCulture)}.");
        if (o.TopK < 0) throw new UserErrorException($"--top-k must not be negative (0: all characters), got {o.TopK}.");
        if (o.Prompt is "") throw new UserErrorException("--prompt must not be empty; leave it out to start after a newline.");
        var (model, vocabulary, _) = CharLmCheckpoint.LoadModel(o.Model);
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
        var sampler = new CharLmSampler(model);
        try
        {
            if (o.Prompt is not null) output.Write(o.Prompt);
            output.Flush();
            sampler.Generate(prompt, o.Length, o.Temperature, o.TopK, new RandomGenerator(o.Seed), id =>
            {
                output.Write(vocabulary[id]);
                output.Flush();
            });
            output.WriteLine();
            output.Flush();
        }
        catch (IOException ex) when (Common.CliOutput.IsBrokenPipe(ex))
        {
            // The reader has gone (`| head`): stop generating, quietly.
        }
        return 0;
    }
}
