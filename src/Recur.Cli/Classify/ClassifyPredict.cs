using System.Globalization;
using Recur.Cli.Common;
using Recur.Data;

namespace Recur.Cli.Classify;

/// <summary>Options of <c>recur classify predict</c>.</summary>
/// <param name="Model">A run folder (its best checkpoint) or a checkpoint folder.</param>
/// <param name="Input">A file with one input per line, "-" or null for standard input.</param>
public sealed record ClassifyPredictOptions(string Model, string? Input);

/// <summary>
/// <c>recur classify predict</c>: one output line per input line, "label TAB probability". A text model reads each line
/// as a text (unknown words become &lt;unk&gt;); a series model reads numbers separated by commas or spaces, the
/// dimensions of a multivariate series separated by ':' (as in .ts files, without the label).
/// </summary>
public static class ClassifyPredict
{
    /// <summary>Reads the inputs, writes the predictions; returns the exit code.</summary>
    public static int Run(ClassifyPredictOptions o, TextReader stdin, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(o);
        ArgumentNullException.ThrowIfNull(stdin);
        ArgumentNullException.ThrowIfNull(output);
        var (model, encoder, saved, _) = ClassifyCheckpoint.LoadModel(o.Model);
        bool fromStdin = o.Input is null or "-";
        if (fromStdin && o.Input is null && ReferenceEquals(stdin, Console.In) && !Console.IsInputRedirected)
            throw new UserErrorException("give --input FILE, or pipe the inputs in (one per line), e.g. echo \"a fine film\" | recur classify predict --model DIR");
        if (!fromStdin && !File.Exists(o.Input)) throw new UserErrorException($"--input '{o.Input}' does not exist.");
        var lines = new List<string>();
        using (var reader = fromStdin ? null : new StreamReader(o.Input!))
        {
            var source = reader ?? stdin;
            for (string? line = source.ReadLine(); line is not null; line = source.ReadLine()) lines.Add(line);
        }
        if (lines.Count == 0) return 0;
        EncodedSequences set;
        if (encoder.ReadsText) set = encoder.EncodeTexts(lines, new int[lines.Count]);
        else
        {
            var values = new float[lines.Count][];
            var lengths = new int[lines.Count];
            for (int i = 0; i < lines.Count; i++) (values[i], lengths[i]) = ParseSeries(lines[i], encoder, i + 1, o.Input ?? "standard input");
            set = new EncodedSequences(values, lengths, encoder.Features, new int[lines.Count]);
        }
        var logits = model.PredictLogits(set, maxLength: saved.Data.MaxLength);
        try
        {
            foreach (var row in logits)
            {
                int best = 0;
                for (int c = 1; c < row.Length; c++) if (row[c] > row[best]) best = c;
                double sum = row.Sum(v => Math.Exp((double)v - row[best]));
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{encoder.Labels[best]}\t{1 / sum:F4}"));
            }
            output.Flush();
        }
        catch (IOException ex) when (CliOutput.IsBrokenPipe(ex))
        {
            // The reader has gone: nothing more to say.
        }
        return 0;
    }

    private static (float[] Values, int Length) ParseSeries(string line, SequenceEncoder encoder, int number, string source)
    {
        var dims = line.Split(':');
        if (dims.Length != encoder.Features)
            throw new UserErrorException($"{source} line {number}: {dims.Length} dimension{(dims.Length == 1 ? "" : "s")} (separated by ':'), but the model reads {encoder.Features}.");
        var parsed = dims.Select(d => d.Split([',', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries)).ToArray();
        int length = parsed[0].Length;
        if (length == 0 || parsed.Any(p => p.Length != length))
            throw new UserErrorException($"{source} line {number}: every dimension needs the same number of values, at least one.");
        var values = new float[length * encoder.Features]; // [T, F]
        for (int f = 0; f < encoder.Features; f++)
            for (int t = 0; t < length; t++)
            {
                if (!float.TryParse(parsed[f][t], NumberStyles.Float, CultureInfo.InvariantCulture, out float v) || !float.IsFinite(v))
                    throw new UserErrorException($"{source} line {number}: '{parsed[f][t]}' is not a finite number.");
                values[(t * encoder.Features) + f] = v;
            }
        return (encoder.EncodeSeries(values), length);
    }
}
