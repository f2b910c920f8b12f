using System.Text.Json;
using System.Text.Json.Nodes;
using Recur.IO;
using Recur.NN;
using Recur.Optim;

namespace Recur.Training;

/// <summary>What <see cref="Checkpoint.Save"/> writes: the model and, for a checkpoint a run can resume from, the rest.</summary>
public sealed class CheckpointContent
{
    /// <summary>The task the checkpoint belongs to (<c>charlm</c>, <c>classify</c>), checked on load.</summary>
    public required string Task { get; init; }

    /// <summary>The model, saved under PyTorch's state_dict names.</summary>
    public required Module Model { get; init; }

    /// <summary>The task's configuration (<c>config.json</c>): what the model is rebuilt from.</summary>
    public JsonNode? Config { get; init; }

    /// <summary>The optimizer (<c>optimizer.safetensors</c>), for resuming.</summary>
    public Optimizer? Optimizer { get; init; }

    /// <summary>The trainer's state (<c>trainer.json</c>), for resuming.</summary>
    public JsonObject? Trainer { get; init; }

    /// <summary>Tensors of the run's state beyond the model, such as a carried recurrent state (<c>state.safetensors</c>).</summary>
    public IReadOnlyDictionary<string, Tensor>? State { get; init; }

    /// <summary>The task's own files by name (vocabularies), as text.</summary>
    public IReadOnlyDictionary<string, string>? Files { get; init; }

    /// <summary>The step the checkpoint was taken at.</summary>
    public long Step { get; init; }
}

/// <summary>
/// One checkpoint format for every task: a folder holding <c>model.safetensors</c> (PyTorch's state_dict names),
/// <c>config.json</c> (the task's configuration), for resuming <c>optimizer.safetensors</c>, <c>trainer.json</c> and
/// <c>state.safetensors</c>, the task's own files, and last the manifest <c>checkpoint.json</c>
/// (<c>{"format": "recur-checkpoint", "version": 1, "task": ..., "step": ..., "files": {name: bytes}}</c>). The
/// folder is replaced as a whole (<see cref="CheckpointFolder"/>). Loading checks the manifest, the task, the version
/// and every file's size before reading anything, and reads no more than the files can hold.
/// </summary>
public sealed class Checkpoint
{
    /// <summary>The manifest's format name.</summary>
    public const string FormatName = "recur-checkpoint";

    /// <summary>The version this code writes and reads.</summary>
    public const int FormatVersion = 1;

    /// <summary>The weights.</summary>
    public const string WeightsFile = "model.safetensors";

    /// <summary>The task's configuration.</summary>
    public const string ConfigFile = "config.json";

    /// <summary>The optimizer state.</summary>
    public const string OptimizerFile = "optimizer.safetensors";

    /// <summary>The trainer state.</summary>
    public const string TrainerFile = "trainer.json";

    /// <summary>The run's state tensors.</summary>
    public const string StateFile = "state.safetensors";

    /// <summary>The largest JSON or text file read from a checkpoint.</summary>
    public const long MaxTextBytes = 256L << 20;

    private readonly Dictionary<string, long> _files;

    private Checkpoint(string folder, string task, long step, Dictionary<string, long> files, JsonNode? config, SafetensorsHeader weights)
    {
        Folder = folder;
        Task = task;
        Step = step;
        _files = files;
        Config = config;
        Weights = weights;
    }

    /// <summary>The checkpoint folder.</summary>
    public string Folder { get; }

    /// <summary>The task that wrote it.</summary>
    public string Task { get; }

    /// <summary>The step it was taken at.</summary>
    public long Step { get; }

    /// <summary>The task's configuration, or null when the checkpoint has none.</summary>
    public JsonNode? Config { get; }

    /// <summary>The weights' header: every tensor's shape, read without the data.</summary>
    public SafetensorsHeader Weights { get; }

    /// <summary>True when the checkpoint holds what a run needs to resume (optimizer and trainer state).</summary>
    public bool CanResume => _files.ContainsKey(TrainerFile) && _files.ContainsKey(OptimizerFile);

    /// <summary>The files the manifest lists.</summary>
    public IEnumerable<string> Files => _files.Keys;

    /// <summary>Writes <paramref name="content"/> to <paramref name="folder"/>, replacing it as a whole.</summary>
    public static void Save(string folder, CheckpointContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (content.Files is not null)
            foreach (var name in content.Files.Keys)
                if (IsReserved(name) || name.Contains('/') || name.Contains('\\') || name.StartsWith('.'))
                    throw new ArgumentException($"'{name}' cannot be a task file of a checkpoint: the name is reserved or not a plain file name.");
        var sizes = new JsonObject();
        CheckpointFolder.Commit(folder, dir =>
        {
            StateDictFile.Save(content.Model, Path.Combine(dir, WeightsFile), new Dictionary<string, string> { ["task"] = content.Task });
            if (content.Config is not null) AtomicFile.WriteAllText(Path.Combine(dir, ConfigFile), content.Config.ToJsonString(Json.Indented));
            if (content.Optimizer is not null) OptimizerStateFile.Save(content.Optimizer, Path.Combine(dir, OptimizerFile));
            if (content.Trainer is not null) AtomicFile.WriteAllText(Path.Combine(dir, TrainerFile), content.Trainer.ToJsonString(Json.Indented));
            if (content.State is not null) SafetensorsTensors.WriteTensors(Path.Combine(dir, StateFile), content.State);
            if (content.Files is not null)
                foreach (var (name, text) in content.Files) AtomicFile.WriteAllText(Path.Combine(dir, name), text);
            foreach (var file in Directory.EnumerateFiles(dir).Order(StringComparer.Ordinal))
                sizes[Path.GetFileName(file)] = new FileInfo(file).Length;
        }, () => new JsonObject
        {
            ["format"] = FormatName,
            ["version"] = FormatVersion,
            ["task"] = content.Task,
            ["step"] = content.Step,
            ["files"] = sizes,
        }.ToJsonString(Json.Indented));
    }

    /// <summary>
    /// The checkpoint folder <paramref name="path"/> names: the folder itself when it is a checkpoint, else a run
    /// folder's <c>best/</c> (with <paramref name="preferLast"/>, <c>last/</c>) and then the other; null when none is complete.
    /// </summary>
    public static string? Find(string path, bool preferLast = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (CheckpointFolder.Resolve(path) is string direct) return direct;
        string first = preferLast ? RunFolder.LastName : RunFolder.BestName, second = preferLast ? RunFolder.BestName : RunFolder.LastName;
        return CheckpointFolder.Resolve(Path.Combine(path, first)) ?? CheckpointFolder.Resolve(Path.Combine(path, second));
    }

    /// <summary>
    /// Opens the checkpoint <paramref name="path"/> names (see <see cref="Find"/>) and checks that it belongs to
    /// <paramref name="task"/>, has a version this code reads, and that every file has the size the manifest lists;
    /// reads <c>config.json</c> and the weights' header (not their data).
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="InvalidDataException">No complete checkpoint there, another task's, an unknown version, or a damaged file (the message names it).</exception>
    public static Checkpoint Load(string path, string task, bool preferLast = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(task);
        if (File.Exists(path)) throw new InvalidDataException($"'{path}' is a file; give a run folder or a checkpoint folder.");
        if (!Directory.Exists(path)) throw new DirectoryNotFoundException($"folder '{path}' does not exist.");
        string folder = Find(path, preferLast)
            ?? throw new InvalidDataException($"'{path}' holds no complete checkpoint (a folder with {CheckpointFolder.ManifestName}, or a run folder with {RunFolder.BestName}/ or {RunFolder.LastName}/).");
        var manifest = ReadJson(folder, CheckpointFolder.ManifestName) as JsonObject
            ?? throw Damaged(folder, CheckpointFolder.ManifestName, "it is not a JSON object");
        string? format = Str(manifest, "format");
        if (format != FormatName)
            throw new InvalidDataException(format == "recur-charlm"
                ? $"checkpoint '{folder}' is in the charlm format of an earlier Recur, which this one does not read; train it again."
                : $"'{folder}' is not a Recur checkpoint ({CheckpointFolder.ManifestName} has format '{format}').");
        long version = Int(manifest, "version") ?? throw Damaged(folder, CheckpointFolder.ManifestName, "it has no version");
        if (version != FormatVersion)
            throw new InvalidDataException($"checkpoint '{folder}' has format version {version}; this Recur reads version {FormatVersion}.");
        string owner = Str(manifest, "task") ?? throw Damaged(folder, CheckpointFolder.ManifestName, "it names no task");
        if (owner != task) throw new InvalidDataException($"'{folder}' is a checkpoint of task '{owner}', not of '{task}'.");
        long step = Int(manifest, "step") ?? 0;
        var files = new Dictionary<string, long>(StringComparer.Ordinal);
        if (manifest["files"] is not JsonObject listed) throw Damaged(folder, CheckpointFolder.ManifestName, "it lists no files");
        foreach (var (name, size) in listed)
        {
            if (name.Contains('/') || name.Contains('\\') || name is "." or "..") throw Damaged(folder, CheckpointFolder.ManifestName, $"it lists '{name}'");
            files[name] = size is JsonValue v && v.TryGetValue(out long n) && n >= 0 ? n : throw Damaged(folder, CheckpointFolder.ManifestName, $"the size of {name} is not a number");
        }
        if (!files.ContainsKey(WeightsFile)) throw new InvalidDataException($"checkpoint '{folder}': {WeightsFile} is missing.");
        foreach (var (name, size) in files)
        {
            string file = Path.Combine(folder, name);
            if (!File.Exists(file)) throw new InvalidDataException($"checkpoint '{folder}': {name} is missing.");
            long actual = RegularFile.Length(file);
            if (actual != size) throw new InvalidDataException($"checkpoint '{folder}': {name} has {actual} bytes but the manifest says {size}; it is damaged (or not a regular file).");
        }
        var config = files.ContainsKey(ConfigFile) ? ReadJson(folder, ConfigFile) : null;
        SafetensorsHeader weights;
        try
        {
            weights = SafetensorsFile.ReadHeader(Path.Combine(folder, WeightsFile));
        }
        catch (SafetensorsFormatException ex)
        {
            throw Damaged(folder, WeightsFile, ex.Message);
        }
        return new Checkpoint(folder, owner, step, files, config, weights);
    }

    /// <summary>
    /// Checks that the weights hold exactly <paramref name="expected"/> parameters, the number the configuration
    /// describes (computed without building the model), so that a configuration with absurd sizes is refused before
    /// anything is allocated for it.
    /// </summary>
    /// <exception cref="InvalidDataException">The numbers differ.</exception>
    public void CheckParameterCount(long expected)
    {
        if (expected != Weights.TotalElements)
            throw new InvalidDataException($"checkpoint '{Folder}': {ConfigFile} describes a model of {expected:N0} parameters but {WeightsFile} holds {Weights.TotalElements:N0}; the two do not belong together.");
    }

    /// <summary>
    /// Loads the weights into <paramref name="model"/> (strict: every name and shape must match) after checking that
    /// the file holds as many parameters as the model, and that every value is finite.
    /// </summary>
    /// <exception cref="InvalidDataException">The weights do not fit the model, or hold NaN or infinite values.</exception>
    public void LoadModel(Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        CheckParameterCount(model.ParameterCount);
        var weights = ReadTensors(WeightsFile);
        foreach (var (name, t) in weights)
            if (!System.Numerics.Tensors.TensorPrimitives.IsFiniteAll<float>(t.Span))
                throw new InvalidDataException($"checkpoint '{Folder}': {WeightsFile} holds NaN or infinite values in '{name}'; the model it came from had diverged.");
        try
        {
            model.LoadStateDict(weights);
        }
        catch (ArgumentException ex)
        {
            throw new InvalidDataException($"checkpoint '{Folder}': {WeightsFile} does not fit {ConfigFile}: {ex.Message}", ex);
        }
    }

    /// <summary>Loads the saved optimizer state into <paramref name="optimizer"/>.</summary>
    /// <exception cref="InvalidDataException">There is none, or it does not fit.</exception>
    public void LoadOptimizer(Optimizer optimizer)
    {
        Require(OptimizerFile);
        OptimizerStateFile.Load(optimizer, Path.Combine(Folder, OptimizerFile));
    }

    /// <summary>The saved trainer state (<c>trainer.json</c>).</summary>
    /// <exception cref="InvalidDataException">There is none, or it is damaged.</exception>
    public JsonObject ReadTrainerState()
    {
        Require(TrainerFile);
        return ReadJson(Folder, TrainerFile) as JsonObject ?? throw Damaged(Folder, TrainerFile, "it is not a JSON object");
    }

    /// <summary>The saved state tensors (<c>state.safetensors</c>; none when the checkpoint has no such file).</summary>
    public Dictionary<string, Tensor> ReadStateTensors() =>
        _files.ContainsKey(StateFile) ? ReadTensors(StateFile) : new Dictionary<string, Tensor>(StringComparer.Ordinal);

    /// <summary>The text of the task file <paramref name="name"/>.</summary>
    /// <exception cref="InvalidDataException">The checkpoint has no such file, or it is too large.</exception>
    public string ReadText(string name)
    {
        Require(name);
        if (_files[name] > MaxTextBytes) throw Damaged(Folder, name, $"it is {_files[name]:N0} bytes, more than a checkpoint's text file may hold");
        return File.ReadAllText(Path.Combine(Folder, name));
    }

    /// <summary>Reads the task file <paramref name="name"/> with <paramref name="parse"/>, turning its format errors into one message naming the file.</summary>
    public T ReadFile<T>(string name, Func<string, T> parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        string text = ReadText(name);
        try
        {
            return parse(text);
        }
        catch (Exception ex) when (ex is FormatException or JsonException or InvalidDataException or ArgumentException or InvalidOperationException or KeyNotFoundException)
        {
            throw Damaged(Folder, name, ex.Message);
        }
    }

    private Dictionary<string, Tensor> ReadTensors(string name)
    {
        try
        {
            return SafetensorsTensors.ReadTensors(Path.Combine(Folder, name));
        }
        catch (SafetensorsFormatException ex)
        {
            throw Damaged(Folder, name, ex.Message);
        }
    }

    private void Require(string name)
    {
        if (!_files.ContainsKey(name)) throw new InvalidDataException($"checkpoint '{Folder}' has no {name}.");
    }

    private static bool IsReserved(string name) =>
        name is WeightsFile or ConfigFile or OptimizerFile or TrainerFile or StateFile or CheckpointFolder.ManifestName;

    private static JsonNode? ReadJson(string folder, string name)
    {
        string file = Path.Combine(folder, name);
        long length = RegularFile.Length(file);
        if (length < 0) throw new InvalidDataException($"checkpoint '{folder}': {name} is missing.");
        if (length == 0 || length > MaxTextBytes) throw Damaged(folder, name, $"it is {length:N0} bytes (or not a regular file)");
        try
        {
            return JsonNode.Parse(File.ReadAllText(file));
        }
        catch (JsonException ex)
        {
            throw Damaged(folder, name, $"it is not valid JSON: {ex.Message}");
        }
    }

    private static string? Str(JsonObject o, string name) => o[name] is JsonValue v && v.TryGetValue(out string? s) ? s : null;

    private static long? Int(JsonObject o, string name) => o[name] is JsonValue v && v.TryGetValue(out long n) ? n : null;

    private static InvalidDataException Damaged(string folder, string name, string why) => new($"checkpoint '{folder}': {name} is damaged: {why}.");

    /// <summary>JSON writer settings shared by the checkpoint files.</summary>
    internal static class Json
    {
        public static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    }
}
