using Recur.IO;

namespace Recur.NN;

/// <summary>Saves and loads a module's parameters as a safetensors file under PyTorch's state_dict names.</summary>
public static class StateDictFile
{
    /// <summary>The metadata key holding the module's type name (<see cref="IRebuildable.TypeName"/>).</summary>
    public const string ModuleKey = "module";

    /// <summary>The metadata key holding the module's constructor arguments as JSON (<see cref="IRebuildable.GetConfig"/>).</summary>
    public const string ConfigKey = "config";

    /// <summary>
    /// Writes every parameter of <paramref name="module"/> (F32) atomically to <paramref name="path"/>. A module that
    /// can be rebuilt (<see cref="IRebuildable"/>: the recurrent layers, <see cref="Linear"/>, <see cref="Embedding"/>,
    /// the models) also gets metadata <c>module</c> (its type name, e.g. <c>LSTM</c>) and <c>config</c> (its constructor
    /// arguments as JSON, PyTorch's for PyTorch's modules), which <c>docs/load_in_pytorch.py</c> reads; entries of
    /// <paramref name="metadata"/> are added and win over them.
    /// </summary>
    public static void Save(Module module, string path, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        var meta = new Dictionary<string, string>(StringComparer.Ordinal);
        if (module is IRebuildable r)
        {
            meta[ModuleKey] = r.TypeName;
            meta[ConfigKey] = r.GetConfig().ToJsonString();
        }
        if (metadata is not null)
            foreach (var (k, v) in metadata) meta[k] = v;
        SafetensorsTensors.WriteTensors(path, module.StateDict(), meta.Count > 0 ? meta : null);
    }

    /// <summary>
    /// Loads <paramref name="path"/> into <paramref name="module"/>. Strict by default: a missing key, an unexpected
    /// key or a wrong shape throws one error listing every mismatch; otherwise they are returned in the report.
    /// </summary>
    public static StateDictReport Load(Module module, string path, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path)) throw new FileNotFoundException($"'{path}' is a folder, not a safetensors file.", path);
        return module.LoadStateDict(SafetensorsTensors.ReadTensors(path), strict);
    }
}
