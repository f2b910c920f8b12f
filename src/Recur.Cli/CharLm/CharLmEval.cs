using System.Globalization;
using Recur.Models;

namespace Recur.Cli.CharLm;

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
        ArgumentNullException.ThrowIfNull(o);
        var (model, vocabulary, checkpoint) = CharLmCheckpoint.LoadModel(o.Model);
        string text = CharLmTrain.LoadCorpus(o.Data).Text;
        if (text.Length < 2) throw new UserErrorException($"data file '{o.Data}' has {text.Length} character; at least 2 are needed to measure a loss.");
        int[] ids;
        try
        {
            ids = vocabulary.Encode(text);
        }
        catch (ArgumentException ex)
        {
            throw new UserErrorException($"data file '{o.Data}': {ex.Message}");
        }
        double loss = CharLmEvaluator.Loss(model, ids);
        if (!double.IsFinite(loss)) throw new InvalidDataException($"the loss on '{o.Data}' is {loss}: the model in '{checkpoint.Folder}' is broken.");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{loss:F4} nats/char, {loss / Math.Log(2):F4} bits/char over {ids.Length:N0} characters of {Path.GetFileName(o.Data)} ({checkpoint.Folder})"));
        return 0;
    }
}
