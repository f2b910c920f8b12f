using Recur.IO;

namespace Recur.NN;

/// <summary>Saves and loads a module's parameters as a safetensors file under PyTorch's state_dict names.</summary>
public static class StateDictFile
{
    /// <summary>Writes every parameter of <paramref name="module"/> (F32) atomically to <paramref name="path"/>.</summary>
    public static void Save(Module module, string path, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        SafetensorsTensors.WriteTensors(path, module.StateDict(), metadata);
    }

    /// <summary>
    /// Loads <paramref name="path"/> into <paramref name="module"/>. Strict by default: a missing key, an unexpected
    /// key or a wrong shape throws one error listing every mismatch; otherwise they are returned in the report.
    /// </summary>
    public static StateDictReport Load(Module module, string path, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(module);
        return module.LoadStateDict(SafetensorsTensors.ReadTensors(path), strict);
    }
}
