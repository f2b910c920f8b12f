using System.Text.Json.Nodes;

namespace Recur.Training;

/// <content>Writing the run's state into checkpoints and reading it back.</content>
public sealed partial class Trainer
{
    private void Save<TBatch>(string name, IBatchSource<TBatch> data)
    {
        if (_options.RunFolder is not string dir) return;
        var components = new JsonObject();
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        void Add(string key, ICheckpointable component)
        {
            var s = new CheckpointState();
            component.SaveState(s);
            components[key] = s.Json;
            foreach (var (tensorName, t) in s.Tensors) tensors[$"{key}.{tensorName}"] = t;
        }
        Add(DataName, data);
        foreach (var (key, component) in _tracked) Add(key, component);
        var generators = new JsonObject();
        foreach (var (key, g) in _generators) generators[key] = GeneratorJson(g.GetState());
        var trainer = new JsonObject
        {
            ["state"] = _state.ToJson(),
            ["options"] = _options.ToJson(),
            ["generators"] = generators,
            ["components"] = components,
        };
        Checkpoint.Save(Path.Combine(dir, name), new CheckpointContent
        {
            Task = _options.Task,
            Model = _model,
            Config = CheckpointConfig?.DeepClone(),
            Optimizer = _optimizer,
            Trainer = trainer,
            State = tensors,
            Files = CheckpointFiles,
            Step = _state.Step,
        });
    }

    private static void Restore(string name, ICheckpointable component, Checkpoint checkpoint)
    {
        var json = checkpoint.ReadTrainerState();
        var saved = (json["components"] as JsonObject)?[name] as JsonObject
            ?? throw new InvalidDataException($"checkpoint '{checkpoint.Folder}' holds no state of '{name}'; it was written by a run of another shape.");
        var tensors = checkpoint.ReadStateTensors().Where(kv => kv.Key.StartsWith(name + ".", StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key[(name.Length + 1)..], kv => kv.Value, StringComparer.Ordinal);
        try
        {
            component.LoadState(new CheckpointState((JsonObject)saved.DeepClone(), tensors));
        }
        catch (InvalidDataException ex)
        {
            throw new InvalidDataException($"checkpoint '{checkpoint.Folder}': the state of '{name}' does not fit: {ex.Message}", ex);
        }
    }

    private static void RestoreGenerator(string name, RandomGenerator generator, JsonObject trainer)
    {
        var g = (trainer["generators"] as JsonObject)?[name] as JsonObject ?? throw new InvalidDataException($"the checkpoint holds no state of generator '{name}'.");
        try
        {
            generator.SetState(new RandomState(g["s0"]!.GetValue<ulong>(), g["s1"]!.GetValue<ulong>(), g["s2"]!.GetValue<ulong>(), g["s3"]!.GetValue<ulong>(),
                g["has_spare_normal"]!.GetValue<bool>(), g["spare_normal"]!.GetValue<double>()));
        }
        catch (Exception ex) when (ex is NullReferenceException or FormatException or InvalidOperationException or ArgumentException)
        {
            throw new InvalidDataException($"the saved state of generator '{name}' is damaged.", ex);
        }
    }

    private static JsonObject GeneratorJson(RandomState s) => new()
    {
        ["s0"] = s.S0,
        ["s1"] = s.S1,
        ["s2"] = s.S2,
        ["s3"] = s.S3,
        ["has_spare_normal"] = s.HasSpareNormal,
        ["spare_normal"] = s.SpareNormal,
    };
}
