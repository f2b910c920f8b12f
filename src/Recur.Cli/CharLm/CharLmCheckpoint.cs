using System.Text.Json;
using System.Text.Json.Nodes;
using Recur.Data;
using Recur.IO;
using Recur.NN;
using Recur.Optim;
using Recur.Training;

namespace Recur.Cli.CharLm;

/// <summary>
/// A checkpoint folder: <c>model.safetensors</c> (PyTorch state_dict names), <c>config.json</c>, <c>vocab.json</c>,
/// <c>optimizer.safetensors</c> + <c>optimizer.json</c> (AdamW buffers and step counts), <c>state.json</c> (step,
/// data position, generator state, ...), <c>state.safetensors</c> (the carried hidden state) and, written last, the
/// manifest <c>checkpoint.json</c> listing every file with its size. The folder is replaced as a whole
/// (<see cref="CheckpointFolder"/>). A run folder holds <c>last/</c> and <c>best/</c>.
/// </summary>
public sealed class CharLmCheckpoint
{
    /// <summary>The folder of the latest checkpoint inside a run folder.</summary>
    public const string LastName = "last";

    /// <summary>The folder of the best-validation checkpoint inside a run folder.</summary>
    public const string BestName = "best";

    private static readonly string[] Files = ["model.safetensors", "config.json", "vocab.json", "optimizer.safetensors", "optimizer.json", "state.json", "state.safetensors"];

    private CharLmCheckpoint(string folder, CharLmConfig config, CharVocabulary vocabulary, Dictionary<string, Tensor> weights)
    {
        Folder = folder;
        Config = config;
        Vocabulary = vocabulary;
        Weights = weights;
    }

    /// <summary>The folder read.</summary>
    public string Folder { get; }

    /// <summary>The model and training configuration.</summary>
    public CharLmConfig Config { get; }

    /// <summary>The character vocabulary.</summary>
    public CharVocabulary Vocabulary { get; }

    /// <summary>The weights by PyTorch name.</summary>
    public Dictionary<string, Tensor> Weights { get; }

    /// <summary>The optimizer state.</summary>
    public OptimizerState? Optimizer { get; private set; }

    /// <summary>The training state.</summary>
    public CharLmTrainingState? State { get; private set; }

    /// <summary>The carried hidden state h [L, B, H] (null when there is none yet).</summary>
    public Tensor? Hidden { get; private set; }

    /// <summary>The carried LSTM cell state c [L, B, H].</summary>
    public Tensor? Cell { get; private set; }

    /// <summary>Writes a checkpoint of the model, optimizer and training state to <paramref name="folder"/>.</summary>
    public static void Save(string folder, CharLmModel model, CharVocabulary vocabulary, Optimizer optimizer, CharLmTrainingState state, Tensor? hidden, Tensor? cell)
    {
        var opt = optimizer.GetState();
        var sizes = new JsonObject();
        CheckpointFolder.Commit(folder, dir =>
        {
            StateDictFile.Save(model, Path.Combine(dir, "model.safetensors"), new Dictionary<string, string> { ["format"] = "pt" });
            AtomicFile.WriteAllText(Path.Combine(dir, "config.json"), model.Config.ToJson());
            AtomicFile.WriteAllText(Path.Combine(dir, "vocab.json"), vocabulary.ToJson());
            SafetensorsTensors.WriteTensors(Path.Combine(dir, "optimizer.safetensors"), opt.Tensors);
            var steps = new JsonObject();
            foreach (var (name, n) in opt.Steps) steps[name] = n;
            AtomicFile.WriteAllText(Path.Combine(dir, "optimizer.json"),
                new JsonObject { ["learning_rate"] = opt.LearningRate, ["steps"] = steps }.ToJsonString(CharLmConfig.Json));
            AtomicFile.WriteAllText(Path.Combine(dir, "state.json"), state.ToJson());
            var carried = new Dictionary<string, Tensor>();
            if (hidden is not null) carried["h"] = hidden;
            if (cell is not null) carried["c"] = cell;
            SafetensorsTensors.WriteTensors(Path.Combine(dir, "state.safetensors"), carried);
            foreach (var f in Files) sizes[f] = new FileInfo(Path.Combine(dir, f)).Length;
        }, () => new JsonObject { ["format"] = "recur-charlm", ["version"] = 1, ["step"] = state.Step, ["files"] = sizes }.ToJsonString(CharLmConfig.Json));
    }

    /// <summary>
    /// The checkpoint folder that <paramref name="path"/> names: the folder itself when it is a checkpoint, else its
    /// <c>best/</c> (or, with <paramref name="preferLast"/>, <c>last/</c>) and then the other one; null when none is complete.
    /// </summary>
    public static string? Find(string path, bool preferLast)
    {
        if (CheckpointFolder.Resolve(path) is string direct) return direct;
        string first = preferLast ? LastName : BestName, second = preferLast ? BestName : LastName;
        return CheckpointFolder.Resolve(Path.Combine(path, first)) ?? CheckpointFolder.Resolve(Path.Combine(path, second));
    }

    /// <summary>
    /// Reads the checkpoint that <paramref name="path"/> names (see <see cref="Find"/>); with
    /// <paramref name="training"/> also the optimizer and training state.
    /// </summary>
    /// <exception cref="InvalidDataException">No checkpoint there, or a file is missing, truncated or corrupt (the message names it).</exception>
    public static CharLmCheckpoint Load(string path, bool training, bool preferLast = false)
    {
        if (!Directory.Exists(path)) throw new DirectoryNotFoundException($"folder '{path}' does not exist.");
        string folder = Find(path, preferLast)
            ?? throw new InvalidDataException($"'{path}' holds no complete checkpoint (a folder with {CheckpointFolder.ManifestName}, or {BestName}/ or {LastName}/ folders with one).");
        CheckManifest(folder);
        var config = Read(folder, "config.json", f => CharLmConfig.FromJson(File.ReadAllText(f)));
        var vocabulary = Read(folder, "vocab.json", f => CharVocabulary.FromJson(File.ReadAllText(f)));
        if (vocabulary.Size != config.VocabSize)
            throw new InvalidDataException($"checkpoint '{folder}': vocab.json has {vocabulary.Size} characters but config.json says {config.VocabSize}.");
        var weights = Read(folder, "model.safetensors", SafetensorsTensors.ReadTensors);
        var checkpoint = new CharLmCheckpoint(folder, config, vocabulary, weights);
        if (!training) return checkpoint;
        checkpoint.State = Read(folder, "state.json", f => CharLmTrainingState.FromJson(File.ReadAllText(f)));
        var buffers = Read(folder, "optimizer.safetensors", SafetensorsTensors.ReadTensors);
        checkpoint.Optimizer = Read(folder, "optimizer.json", f =>
        {
            var o = Required(JsonNode.Parse(File.ReadAllText(f)), "an object");
            var steps = Required(o["steps"], "\"steps\"").AsObject().ToDictionary(kv => kv.Key, kv => Required(kv.Value, kv.Key).GetValue<long>());
            return new OptimizerState(Required(o["learning_rate"], "\"learning_rate\"").GetValue<double>(), steps, buffers);
        });
        var carried = Read(folder, "state.safetensors", SafetensorsTensors.ReadTensors);
        checkpoint.Hidden = carried.GetValueOrDefault("h");
        checkpoint.Cell = carried.GetValueOrDefault("c");
        return checkpoint;
    }

    /// <summary>A model with this checkpoint's weights; <paramref name="rng"/> serves its dropout.</summary>
    public CharLmModel CreateModel(RandomGenerator rng)
    {
        var model = new CharLmModel(Config, rng);
        try
        {
            model.LoadStateDict(Weights);
        }
        catch (ArgumentException ex)
        {
            throw new InvalidDataException($"checkpoint '{Folder}': model.safetensors does not fit config.json: {ex.Message}", ex);
        }
        return model;
    }

    private static void CheckManifest(string folder)
    {
        var files = Read(folder, CheckpointFolder.ManifestName, f => Required(Required(JsonNode.Parse(File.ReadAllText(f)), "an object")["files"], "\"files\"")
            .AsObject().ToDictionary(kv => kv.Key, kv => Required(kv.Value, kv.Key).GetValue<long>()));
        foreach (var name in Files)
        {
            string file = Path.Combine(folder, name);
            if (!File.Exists(file)) throw new InvalidDataException($"checkpoint '{folder}': {name} is missing.");
            if (files.TryGetValue(name, out long size) && new FileInfo(file).Length != size)
                throw new InvalidDataException($"checkpoint '{folder}': {name} has {new FileInfo(file).Length} bytes but the manifest says {size}; it is damaged.");
        }
    }

    private static JsonNode Required(JsonNode? node, string what) => node ?? throw new InvalidDataException($"{what} is missing.");

    private static T Read<T>(string folder, string name, Func<string, T> read)
    {
        string file = Path.Combine(folder, name);
        if (!File.Exists(file)) throw new InvalidDataException($"checkpoint '{folder}': {name} is missing.");
        try
        {
            return read(file);
        }
        catch (Exception ex) when (ex is FormatException or JsonException or InvalidDataException or ArgumentException or InvalidOperationException)
        {
            throw new InvalidDataException($"checkpoint '{folder}': {name} is corrupt: {ex.Message}", ex);
        }
    }
}
