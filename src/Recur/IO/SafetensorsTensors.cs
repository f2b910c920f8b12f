namespace Recur.IO;

/// <summary>Bridges safetensors entries and <see cref="Tensor"/>s (float32).</summary>
public static class SafetensorsTensors
{
    /// <summary>The entry as a float32 tensor (F32 copied; F64, F16, BF16 and integer types converted).</summary>
    public static Tensor ToTensor(this SafetensorsEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return Tensor.FromArray(entry.ToSingleArray(), entry.GetShapeArray());
    }

    /// <summary>An F32 entry holding a copy of <paramref name="tensor"/>'s elements.</summary>
    public static SafetensorsEntry ToEntry(this Tensor tensor, string name)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return SafetensorsEntry.Create(name, (ReadOnlySpan<float>)tensor.Span, tensor.Shape);
    }

    /// <summary>Reads every tensor of a file as float32 tensors by name.</summary>
    public static Dictionary<string, Tensor> ReadTensors(string path)
    {
        var file = SafetensorsFile.Read(path);
        return file.Entries.ToDictionary(e => e.Name, e => e.ToTensor(), StringComparer.Ordinal);
    }

    /// <summary>Writes named float32 tensors atomically (temp file, then rename).</summary>
    public static void WriteTensors(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        SafetensorsFile.Write(path, tensors.Select(kv => kv.Value.ToEntry(kv.Key)), metadata);
    }
}
