using System.Text.Json;
using System.Text.Json.Nodes;
using Recur.IO;
using Recur.NN;

namespace Recur.Models;

/// <summary>
/// A model in one file that rebuilds it: safetensors weights under PyTorch's names with the module's type and
/// configuration in the metadata (<see cref="StateDictFile.Save"/> writes them for every <see cref="IRebuildable"/>
/// module). <see cref="Load"/> builds the module from the metadata, checks the weights' header against it before
/// reading them, and loads them strictly. The built-in types are registered; <see cref="Register"/> adds more.
/// </summary>
public static class ModelFile
{
    private static readonly Dictionary<string, (Func<JsonObject, long> Count, Func<JsonObject, Module> Build)> s_factories = new(StringComparer.Ordinal)
    {
        ["LSTM"] = (c => RecurrentCount(c, 4), c => Recurrent(c, (i, h, l, bias, bf, d, bi) => new Lstm(i, h, l, bias, bf, d, bi, Int(c, "proj_size", 0)))),
        ["GRU"] = (c => RecurrentCount(c, 3), c => Recurrent(c, (i, h, l, bias, bf, d, bi) => new Gru(i, h, l, bias, bf, d, bi))),
        ["RNN"] = (c => RecurrentCount(c, 1), c => Recurrent(c, (i, h, l, bias, bf, d, bi) => new Rnn(i, h, l,
            Str(c, "nonlinearity", "tanh") == "relu" ? RnnNonlinearity.Relu : RnnNonlinearity.Tanh, bias, bf, d, bi))),
        ["Linear"] = (c => ((long)Int(c, "in_features") * Int(c, "out_features")) + (Bool(c, "bias", true) ? Int(c, "out_features") : 0),
            c => new Linear(Int(c, "in_features"), Int(c, "out_features"), Bool(c, "bias", true))),
        ["Embedding"] = (c => (long)Int(c, "num_embeddings") * Int(c, "embedding_dim"),
            c => new Embedding(Int(c, "num_embeddings"), Int(c, "embedding_dim"), c["padding_idx"]?.GetValue<int>())),
        ["CharLm"] = (c => CharLmConfig.FromJson(c).ParameterCount(), c => new CharLm(CharLmConfig.FromJson(c), new RandomGenerator(0))),
        ["SequenceClassifier"] = (c => SequenceClassifierConfig.FromJson(c).ParameterCount(),
            c => new SequenceClassifier(SequenceClassifierConfig.FromJson(c), new RandomGenerator(0))),
        ["Seq2Seq"] = (c => Seq2SeqConfig.FromJson(c).ParameterCount(), c => new Seq2Seq(Seq2SeqConfig.FromJson(c), new RandomGenerator(0))),
    };

    /// <summary>
    /// Lets <see cref="Load"/> rebuild modules of type <paramref name="typeName"/> from their configuration;
    /// <paramref name="count"/> gives the parameter count of a configuration without building it, so that a file
    /// whose configuration does not match its weights is refused before anything is allocated.
    /// </summary>
    public static void Register(string typeName, Func<JsonObject, long> count, Func<JsonObject, Module> factory)
    {
        ArgumentException.ThrowIfNullOrEmpty(typeName);
        ArgumentNullException.ThrowIfNull(count);
        ArgumentNullException.ThrowIfNull(factory);
        lock (s_factories) s_factories[typeName] = (count, factory);
    }

    /// <summary>Writes <paramref name="module"/> (an <see cref="IRebuildable"/>) with its type and configuration to <paramref name="path"/>.</summary>
    /// <exception cref="ArgumentException">The module cannot describe how to rebuild it.</exception>
    public static void Save(Module module, string path)
    {
        ArgumentNullException.ThrowIfNull(module);
        if (module is not IRebuildable) throw new ArgumentException($"{module.TypeName} does not implement IRebuildable, so a file could not rebuild it; save its weights with StateDictFile.Save.", nameof(module));
        StateDictFile.Save(module, path);
    }

    /// <summary>Rebuilds the module saved in <paramref name="path"/> and loads its weights.</summary>
    /// <exception cref="InvalidDataException">The file names no type or an unknown one, its configuration is not valid, or the weights do not fit.</exception>
    public static Module Load(string path)
    {
        SafetensorsHeader header;
        try
        {
            header = SafetensorsFile.ReadHeader(path);
        }
        catch (SafetensorsFormatException ex)
        {
            throw new InvalidDataException($"'{path}' is not a valid safetensors file: {ex.Message}", ex);
        }
        if (!header.Metadata.TryGetValue(StateDictFile.ModuleKey, out var type) || !header.Metadata.TryGetValue(StateDictFile.ConfigKey, out var configText))
            throw new InvalidDataException($"'{path}' does not say which module it holds (no \"{StateDictFile.ModuleKey}\" and \"{StateDictFile.ConfigKey}\" metadata); load it into a module you build with StateDictFile.Load.");
        (Func<JsonObject, long> Count, Func<JsonObject, Module> Build) factory;
        bool known;
        lock (s_factories) known = s_factories.TryGetValue(type, out factory);
        if (!known) throw new InvalidDataException($"'{path}' holds a {type}, which is not a registered module type (ModelFile.Register adds one).");
        Module module;
        try
        {
            var config = JsonNode.Parse(configText) as JsonObject ?? throw new InvalidDataException("the configuration is not a JSON object.");
            long expected = factory.Count(config);
            if (expected != header.TotalElements)
                throw new InvalidDataException($"it describes {expected:N0} parameters but the file holds {header.TotalElements:N0}");
            module = factory.Build(config);
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidOperationException or FormatException or InvalidDataException)
        {
            throw new InvalidDataException($"'{path}': the {type} configuration is not valid: {ex.Message}", ex);
        }
        try
        {
            StateDictFile.Load(module, path);
        }
        catch (ArgumentException ex)
        {
            throw new InvalidDataException($"'{path}': the weights do not fit the {type}: {ex.Message}", ex);
        }
        return module;
    }

    private static Module Recurrent(JsonObject c, Func<int, int, int, bool, bool, double, bool, Module> make) =>
        make(Int(c, "input_size"), Int(c, "hidden_size"), Int(c, "num_layers", 1), Bool(c, "bias", true), Bool(c, "batch_first", false),
            c["dropout"]?.GetValue<double>() ?? 0, Bool(c, "bidirectional", false));

    private static long RecurrentCount(JsonObject c, int gates) =>
        RecurrentLayer.CountParameters(gates, Int(c, "input_size"), Int(c, "hidden_size"), Int(c, "num_layers", 1), Bool(c, "bidirectional", false),
            Bool(c, "bias", true), Int(c, "proj_size", 0));

    private static int Int(JsonObject c, string name, int? fallback = null) =>
        c[name]?.GetValue<int>() ?? fallback ?? throw new InvalidDataException($"the configuration has no \"{name}\".");

    private static bool Bool(JsonObject c, string name, bool fallback) => c[name]?.GetValue<bool>() ?? fallback;

    private static string Str(JsonObject c, string name, string fallback) => c[name]?.GetValue<string>() ?? fallback;
}
