namespace Recur.IO;

/// <summary>Writing safetensors files.</summary>
public sealed partial class SafetensorsFile
{
    /// <summary>
    /// Writes a safetensors file atomically: the bytes go to a temporary file in the same folder, which is flushed
    /// to disk and then moved over <paramref name="path"/>. Readers see either the old file or the complete new one;
    /// after a failure the old file is untouched and the temporary file is removed.
    /// </summary>
    /// <param name="path">The target file; replaced if it exists.</param>
    /// <param name="tensors">The tensors; names must be distinct and not <see cref="MetadataKey"/>.</param>
    /// <param name="metadata">String metadata for <c>__metadata__</c>, or <see langword="null"/> for none.</param>
    /// <remarks>The layout is the reference library's; see <see cref="ToBytes"/>.</remarks>
    /// <exception cref="ArgumentException">Two tensors share a name, or a name or metadata string is not valid Unicode.</exception>
    public static void Write(string path, IEnumerable<SafetensorsEntry> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var layout = SafetensorsWriter.Prepare(tensors, metadata);
        AtomicFile.Write(path, layout.WriteTo);
    }

    /// <summary>Writes a safetensors file to a stream (not atomic; the stream is not closed).</summary>
    /// <param name="destination">A writable stream.</param>
    /// <param name="tensors">The tensors; names must be distinct and not <see cref="MetadataKey"/>.</param>
    /// <param name="metadata">String metadata for <c>__metadata__</c>, or <see langword="null"/> for none.</param>
    public static void Write(Stream destination, IEnumerable<SafetensorsEntry> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(destination);
        SafetensorsWriter.Prepare(tensors, metadata).WriteTo(destination);
    }

    /// <summary>
    /// Serializes tensors and metadata to the bytes of a safetensors file, laid out as the reference library
    /// (Python <c>safetensors.torch.save_file</c>) lays them out, so equal inputs give equal files.
    /// </summary>
    /// <remarks>
    /// Tensors are sorted by dtype alignment, largest first (U64, I64, F64, F32, U32, I32, BF16, F16, U16, I16, I8, U8,
    /// BOOL), then by name in UTF-8 byte order; their data follow one another with no gaps in that order. The header
    /// is compact JSON with <c>__metadata__</c> first (omitted when null or empty; keys sorted by UTF-8 bytes, where
    /// the reference's order is unspecified), then one <c>{"dtype","shape","data_offsets"}</c> object per tensor in
    /// data order, padded with spaces to a multiple of 8 bytes.
    /// </remarks>
    /// <param name="tensors">The tensors; names must be distinct and not <see cref="MetadataKey"/>.</param>
    /// <param name="metadata">String metadata for <c>__metadata__</c>, or <see langword="null"/> for none.</param>
    /// <returns>The file's bytes.</returns>
    /// <exception cref="NotSupportedException">The file would be larger than an array can hold.</exception>
    public static byte[] ToBytes(IEnumerable<SafetensorsEntry> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var layout = SafetensorsWriter.Prepare(tensors, metadata);
        if (layout.TotalBytes > Array.MaxLength)
        {
            throw new NotSupportedException($"The file would be {layout.TotalBytes} bytes, more than an array can hold; write it to a path or stream.");
        }

        var bytes = new byte[layout.TotalBytes];
        using var stream = new MemoryStream(bytes, writable: true);
        layout.WriteTo(stream);
        return bytes;
    }
}
