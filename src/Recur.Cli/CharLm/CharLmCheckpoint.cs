using System.Globalization;
using System.Text.Json.Nodes;
using Recur.Cli.Common;
using Recur.Data;
using Recur.Models;
using Recur.Training;

namespace Recur.Cli.CharLm;

/// <summary>
/// What a charlm checkpoint holds beyond the common format: <c>config.json</c> with the model's shape
/// (<c>"model"</c>), how it is trained (<c>"training"</c>) and its data (<c>"data"</c>), and <c>vocab.json</c>.
/// </summary>
public static class CharLmCheckpoint
{
    /// <summary>The character vocabulary's file.</summary>
    public const string VocabularyFile = "vocab.json";

    /// <summary>The most memory a model and its training buffers may ask for, as an estimate.</summary>
    public static long MemoryBudgetBytes => Math.Max(1L << 30, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 2);

    /// <summary>A charlm checkpoint's configuration.</summary>
    public sealed record Saved(CharLmConfig Model, TrainingConfig Training, int SeqLength, int BatchSize, string DataPath, long DataLength, string DataHash);

    /// <summary>The <c>config.json</c> of a run.</summary>
    public static JsonObject ConfigJson(CharLmConfig model, TrainingConfig training, int seqLength, int batchSize, string dataPath, TextCorpus corpus) => new()
    {
        ["model"] = model.ToJson(),
        ["training"] = training.ToJson(),
        ["data"] = new JsonObject
        {
            ["seq_length"] = seqLength,
            ["batch_size"] = batchSize,
            ["path"] = Path.GetFullPath(dataPath),
            ["length"] = corpus.Length,
            ["sha256"] = CharLmTrain.HashText(corpus.Text),
        },
    };

    /// <summary>Reads and checks the configuration of <paramref name="checkpoint"/>.</summary>
    /// <exception cref="InvalidDataException">It is missing or not valid (the message names the file).</exception>
    public static Saved ReadConfig(Checkpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        try
        {
            var c = checkpoint.Config as JsonObject ?? throw new InvalidDataException("it is missing.");
            var model = CharLmConfig.FromJson(c["model"]);
            var data = c["data"] as JsonObject ?? throw new InvalidDataException("it has no \"data\".");
            var training = TrainingConfig.FromJson(c["training"]);
            int seq = data["seq_length"]?.GetValue<int>() ?? throw new InvalidDataException("it has no data.seq_length.");
            int batch = data["batch_size"]?.GetValue<int>() ?? throw new InvalidDataException("it has no data.batch_size.");
            TrainingRun.Range(seq, 1, 1 << 20, "data.seq_length");
            TrainingRun.Range(batch, 1, 1 << 16, "data.batch_size");
            return new Saved(model, training, seq, batch, data["path"]?.GetValue<string>() ?? "", data["length"]?.GetValue<long>() ?? 0, data["sha256"]?.GetValue<string>() ?? "");
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or InvalidOperationException or ArgumentException)
        {
            throw new InvalidDataException($"checkpoint '{checkpoint.Folder}': {Checkpoint.ConfigFile} is not valid: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Refuses a model whose parameters, gradients, optimizer state and training activations would not fit in memory,
    /// estimated before anything is allocated, and says what it would be.
    /// </summary>
    public static void CheckSize(CharLmConfig model, int batchSize, int seqLength)
    {
        ArgumentNullException.ThrowIfNull(model);
        long parameters = model.ParameterCount();
        // weights, gradients, two AdamW buffers; activations: gates and states of every layer and step, and the logits.
        long gates = (model.Cell == "lstm" ? 4 : model.Cell == "gru" ? 3 : 1) * (long)model.HiddenSize;
        long activations = (long)batchSize * seqLength * ((model.Layers * (gates + (3L * model.HiddenSize))) + (2L * model.VocabSize) + model.EmbeddingSize);
        long bytes = 4 * ((4 * parameters) + (2 * activations));
        if (bytes > MemoryBudgetBytes)
            throw new UserErrorException(string.Create(CultureInfo.InvariantCulture,
                $"the model would need about {bytes / (1 << 20):N0} MiB ({parameters:N0} parameters; {model.Layers} layers of {model.HiddenSize}, {batchSize} streams of {seqLength}), more than the {MemoryBudgetBytes / (1 << 20):N0} MiB available; use smaller sizes."));
    }

    /// <summary>
    /// The model and vocabulary of the checkpoint <paramref name="path"/> names (a run folder's best, or a checkpoint
    /// folder), checked before anything is allocated: the configuration against the weights' header and sizes, then
    /// every weight finite.
    /// </summary>
    public static (Models.CharLm Model, CharVocabulary Vocabulary, Checkpoint Checkpoint) LoadModel(string path)
    {
        var checkpoint = Checkpoint.Load(path, CharLmTrain.Task);
        var saved = ReadConfig(checkpoint);
        checkpoint.CheckParameterCount(saved.Model.ParameterCount());
        var vocabulary = checkpoint.ReadFile(VocabularyFile, CharVocabulary.FromJson);
        if (vocabulary.Size != saved.Model.VocabSize)
            throw new InvalidDataException($"checkpoint '{checkpoint.Folder}': {VocabularyFile} has {vocabulary.Size} characters but {Checkpoint.ConfigFile} says {saved.Model.VocabSize}.");
        var model = new Models.CharLm(saved.Model, new RandomGenerator(saved.Training.Seed));
        checkpoint.LoadModel(model);
        return (model, vocabulary, checkpoint);
    }
}
