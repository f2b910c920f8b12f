using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Recur.Cli.Common;
using Recur.Data;
using Recur.IO;
using Recur.Models;
using Recur.Training;

namespace Recur.Cli.Classify;

/// <summary>How a classify run reads its data, saved under <c>"data"</c> in <c>config.json</c>.</summary>
public sealed record ClassifyDataConfig
{
    /// <summary>text or series.</summary>
    public string Kind { get; init; } = "text";

    /// <summary>The training file's format name.</summary>
    public string Format { get; init; } = "auto";

    /// <summary>CSV columns, when the format is CSV.</summary>
    public string? TextColumn { get; init; }

    /// <summary>CSV columns, when the format is CSV.</summary>
    public string? LabelColumn { get; init; }

    /// <summary>The training file.</summary>
    public string Train { get; init; } = "";

    /// <summary>SHA-256 of the training file, to refuse resuming on other data.</summary>
    public string TrainSha256 { get; init; } = "";

    /// <summary>The validation file, or null for a split of the training file.</summary>
    public string? Dev { get; init; }

    /// <summary>The share of the training file held out when there is no dev file.</summary>
    public double DevFraction { get; init; } = 0.1;

    /// <summary>Examples per batch.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Steps kept of each example, or null for all.</summary>
    public int? MaxLength { get; init; }

    /// <summary>The chance a training token becomes &lt;unk&gt; (text).</summary>
    public double WordDropout { get; init; }

    /// <summary>none or balanced.</summary>
    public string ClassWeights { get; init; } = "none";

    /// <summary>standard or none (series).</summary>
    public string Normalize { get; init; } = "standard";

    /// <summary>Lower-case texts (text).</summary>
    public bool Lowercase { get; init; } = true;

    /// <summary>Split punctuation off words (text).</summary>
    public bool SplitPunctuation { get; init; } = true;

    /// <summary>Fewest occurrences for a word to get its own id (text).</summary>
    public int MinCount { get; init; } = 1;

    /// <summary>The most words kept (text), or null.</summary>
    public int? MaxVocab { get; init; }

    /// <summary>The pretrained vectors the embedding started from (text), or null.</summary>
    public string? Vectors { get; init; }
}

/// <summary>
/// A classify checkpoint beyond the common format: <c>config.json</c> (<c>"model"</c>, <c>"training"</c>,
/// <c>"data"</c>), <c>labels.json</c>, and <c>vocab.json</c> (text) or <c>scaler.json</c> (standardized series).
/// </summary>
public static class ClassifyCheckpoint
{
    /// <summary>The classes.</summary>
    public const string LabelsFile = "labels.json";

    /// <summary>The word vocabulary (text).</summary>
    public const string VocabularyFile = "vocab.json";

    /// <summary>The character table (text with character features).</summary>
    public const string CharactersFile = "chars.json";

    /// <summary>The feature scaler (series).</summary>
    public const string ScalerFile = "scaler.json";

    /// <summary>A classify checkpoint's configuration.</summary>
    public sealed record Saved(SequenceClassifierConfig Model, TrainingConfig Training, ClassifyDataConfig Data);

    /// <summary>The <c>config.json</c> of a run.</summary>
    public static JsonObject ConfigJson(Saved s) => new()
    {
        ["model"] = s.Model.ToJson(),
        ["training"] = s.Training.ToJson(),
        ["data"] = JsonConfig.ToJson(s.Data),
    };

    /// <summary>The task files of a run: the classes and the vocabulary or the scaler.</summary>
    public static Dictionary<string, string> Files(SequenceEncoder encoder)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        var files = new Dictionary<string, string> { [LabelsFile] = encoder.Labels.ToJson() };
        if (encoder.Vocabulary is not null) files[VocabularyFile] = encoder.Vocabulary.ToJson();
        if (encoder.Characters is not null) files[CharactersFile] = encoder.Characters.ToJson();
        if (encoder.Scaler is not null) files[ScalerFile] = encoder.Scaler.ToJson();
        return files;
    }

    /// <summary>Reads and checks the configuration of <paramref name="checkpoint"/>.</summary>
    public static Saved ReadConfig(Checkpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        try
        {
            var c = checkpoint.Config as JsonObject ?? throw new InvalidDataException("it is missing.");
            var model = SequenceClassifierConfig.FromJson(c["model"]);
            var training = TrainingConfig.FromJson(c["training"]);
            var data = JsonConfig.Read<ClassifyDataConfig>(c["data"], "its \"data\"", _ => { });
            return new Saved(model, training, data);
        }
        catch (Exception ex) when (ex is InvalidDataException or System.Text.Json.JsonException or ArgumentException or InvalidOperationException)
        {
            throw new InvalidDataException($"checkpoint '{checkpoint.Folder}': {Checkpoint.ConfigFile} is not valid: {ex.Message}", ex);
        }
    }

    /// <summary>The encoder a checkpoint's model reads through.</summary>
    public static SequenceEncoder ReadEncoder(Checkpoint checkpoint, Saved saved)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(saved);
        var labels = checkpoint.ReadFile(LabelsFile, LabelSet.FromJson);
        if (labels.Count != saved.Model.Classes)
            throw new InvalidDataException($"checkpoint '{checkpoint.Folder}': {LabelsFile} has {labels.Count} classes but {Checkpoint.ConfigFile} says {saved.Model.Classes}.");
        if (saved.Model.ReadsTokens)
        {
            var vocabulary = checkpoint.ReadFile(VocabularyFile, WordVocabulary.FromJson);
            if (vocabulary.Size != saved.Model.VocabSize)
                throw new InvalidDataException($"checkpoint '{checkpoint.Folder}': {VocabularyFile} has {vocabulary.Size} words but {Checkpoint.ConfigFile} says {saved.Model.VocabSize}.");
            var characters = saved.Model.HasCharacters ? checkpoint.ReadFile(CharactersFile, CharacterTable.FromJson) : null;
            if (characters is not null && characters.Size != saved.Model.CharVocabSize)
                throw new InvalidDataException($"checkpoint '{checkpoint.Folder}': {CharactersFile} has {characters.Size} characters but {Checkpoint.ConfigFile} says {saved.Model.CharVocabSize}.");
            return SequenceEncoder.ForText(labels, new WordTokenizer(saved.Data.Lowercase, saved.Data.SplitPunctuation), vocabulary, characters);
        }
        var scaler = saved.Data.Normalize == "standard" ? checkpoint.ReadFile(ScalerFile, FeatureScaler.FromJson) : null;
        return SequenceEncoder.ForSeries(labels, saved.Model.Features, scaler);
    }

    /// <summary>
    /// The model, its encoder and configuration from the checkpoint <paramref name="path"/> names (a run folder's best,
    /// or a checkpoint folder), checked before anything is allocated for the weights.
    /// </summary>
    public static (SequenceClassifier Model, SequenceEncoder Encoder, Saved Saved, Checkpoint Checkpoint) LoadModel(string path)
    {
        var checkpoint = Checkpoint.Load(path, ClassifyTrain.Task);
        var saved = ReadConfig(checkpoint);
        checkpoint.CheckParameterCount(saved.Model.ParameterCount());
        var encoder = ReadEncoder(checkpoint, saved);
        var model = new SequenceClassifier(saved.Model, new RandomGenerator(saved.Training.Seed));
        checkpoint.LoadModel(model);
        return (model, encoder, saved, checkpoint);
    }

    /// <summary>SHA-256 of a file's bytes.</summary>
    public static string HashFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(stream));
    }
}
