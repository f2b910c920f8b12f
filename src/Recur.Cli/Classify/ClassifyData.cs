using Recur.Data;
using Recur.Cli.Common;

namespace Recur.Cli.Classify;

/// <summary>Reading, splitting and encoding the data of <c>recur classify</c>, with one-line errors for bad files.</summary>
public static class ClassifyData
{
    /// <summary>The format named by --format (auto when null).</summary>
    public static ClassificationFormat ParseFormat(string? name)
    {
        if (name is null) return ClassificationFormat.Auto;
        if (ClassificationFormats.TryParse(name, out var f)) return f;
        throw new UserErrorException($"--format must be one of {string.Join(", ", ClassificationFormats.Names)}, got '{name}'.");
    }

    /// <summary>Reads <paramref name="path"/>, saying which format was detected when it was.</summary>
    public static ClassificationData Read(string path, ClassificationReadOptions options, TextWriter? output)
    {
        ClassificationData data;
        try
        {
            data = ClassificationReader.Read(path, options);
        }
        catch (Exception ex) when (ex is InvalidDataException or ArgumentException)
        {
            throw new UserErrorException(ex.Message);
        }
        if (output is not null && data.DetectionReason is string reason)
            output.WriteLine($"Reading {Path.GetFileName(path)} as {data.Format.Name()} ({reason}); --format chooses another.");
        if (data.Count == 0) throw new UserErrorException($"'{path}' holds no examples.");
        return data;
    }

    /// <summary>
    /// The training examples and the validation examples: those of the dev file (read like the training file), or a
    /// stratified split of the training file seeded by <paramref name="seed"/> (the run's --seed).
    /// </summary>
    public static (ClassificationData Train, ClassificationData Dev) TrainAndDev(ClassificationData all, ClassifyDataConfig config, string? devPath,
        ClassificationReadOptions read, TextWriter output, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(all);
        ArgumentNullException.ThrowIfNull(config);
        if (devPath is not null)
        {
            var dev = Read(devPath, read with { Format = read.Format == ClassificationFormat.Auto ? all.Format : read.Format }, output);
            if (dev.Kind != all.Kind) throw new UserErrorException($"'{devPath}' holds {Kind(dev)} but '{all.SourcePath}' holds {Kind(all)}.");
            if (dev.Kind == ClassificationKind.Series && dev.Features != all.Features)
                throw new UserErrorException($"'{devPath}' has series of {dev.Features} features but '{all.SourcePath}' of {all.Features}.");
            var unseen = dev.Examples.FirstOrDefault(e => !all.Classes.Contains(e.Label));
            if (unseen is not null)
                throw new UserErrorException($"'{devPath}' line {unseen.LineNumber}: label '{unseen.Label}' appears only in the dev file; the training file has {all.Classes.Describe()}.");
            return (all, dev);
        }
        var labels = all.LabelIds();
        var (trainIdx, devIdx) = StratifiedSplit.Split(labels, config.DevFraction, seed);
        if (devIdx.Length == 0 || trainIdx.Length == 0)
            throw new UserErrorException($"'{all.SourcePath}' has {all.Count} examples, too few to hold out {Percent.Of(config.DevFraction, 0)} for validation; give a --dev file.");
        return (Subset(all, trainIdx), Subset(all, devIdx));
    }

    /// <summary>The encoder of a new run: the tokenizer and vocabulary (texts) or the scaler (series) fitted on <paramref name="train"/> only.</summary>
    public static SequenceEncoder BuildEncoder(ClassificationData train, LabelSet labels, ClassifyDataConfig config, bool characters = false)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(config);
        if (train.Kind == ClassificationKind.Text)
        {
            var tokenizer = new WordTokenizer(config.Lowercase, config.SplitPunctuation);
            var sentences = train.Examples.Select(e => tokenizer.Tokenize(e.Text!)).ToArray();
            var vocabulary = WordVocabulary.Build(sentences, config.MinCount, config.MaxVocab);
            var table = characters ? CharacterTable.Build(sentences.SelectMany(w => w)) : null;
            return SequenceEncoder.ForText(labels, tokenizer, vocabulary, table);
        }
        var scaler = config.Normalize == "standard" ? FeatureScaler.Fit(train.SeriesValues(), train.Features) : null;
        return SequenceEncoder.ForSeries(labels, train.Features, scaler);
    }

    /// <summary>Encodes <paramref name="data"/>, turning its problems into one-line user errors.</summary>
    public static EncodedSequences Encode(SequenceEncoder encoder, ClassificationData data, bool labelled = true)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        try
        {
            return labelled ? encoder.Encode(data) : encoder.EncodeInputs(data);
        }
        catch (InvalidDataException ex)
        {
            throw new UserErrorException(ex.Message);
        }
    }

    private static ClassificationData Subset(ClassificationData all, int[] indices) =>
        new(all.SourcePath, all.Format, indices.Select(i => all.Examples[i]).ToArray(), all.Classes);

    private static string Kind(ClassificationData d) => d.Kind == ClassificationKind.Text ? "texts" : "series";
}
