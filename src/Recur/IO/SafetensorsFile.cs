using System.Collections.ObjectModel;

namespace Recur.IO;

/// <summary>
/// A safetensors file in memory: named tensors (<see cref="SafetensorsEntry"/>) and string metadata.
/// Read with <see cref="Read(string)"/> and its overloads (strict: any defect throws
/// <see cref="SafetensorsFormatException"/>); write with <see cref="Write(string, IEnumerable{SafetensorsEntry}, IReadOnlyDictionary{string, string}?)"/>,
/// which replaces the target atomically, or <see cref="ToBytes"/>.
/// </summary>
/// <remarks>
/// Format (https://github.com/huggingface/safetensors): an 8-byte little-endian header length N, N bytes of UTF-8
/// JSON, then the data buffer. Files are read whole into memory, so they must be under 2 GiB.
/// </remarks>
public sealed partial class SafetensorsFile
{
    /// <summary>The reserved header key that holds the string-to-string metadata.</summary>
    public const string MetadataKey = "__metadata__";

    /// <summary>Creates a file model from entries (kept in the given order) and optional metadata.</summary>
    /// <param name="tensors">The tensors; names must be distinct and not <see cref="MetadataKey"/>.</param>
    /// <param name="metadata">String metadata, or <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentException">Two tensors share a name, or a name is <see cref="MetadataKey"/>.</exception>
    public SafetensorsFile(IEnumerable<SafetensorsEntry> tensors, IReadOnlyDictionary<string, string>? metadata = null)
        : this(SafetensorsWriter.CheckEntries(tensors), metadata?.ToList() ?? [])
    {
    }

    /// <summary>Creates the model from entries with distinct names and metadata with distinct keys.</summary>
    internal SafetensorsFile(IReadOnlyList<SafetensorsEntry> entries, IReadOnlyList<KeyValuePair<string, string>> metadata)
    {
        var tensors = new OrderedDictionary<string, SafetensorsEntry>(entries.Count, StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            tensors.Add(entry.Name, entry);
        }

        var meta = new OrderedDictionary<string, string>(metadata.Count, StringComparer.Ordinal);
        foreach (var (key, value) in metadata)
        {
            ArgumentNullException.ThrowIfNull(value, nameof(metadata));
            meta.Add(key, value);
        }

        Entries = entries.ToArray().AsReadOnly();
        Tensors = new ReadOnlyDictionary<string, SafetensorsEntry>(tensors);
        Metadata = new ReadOnlyDictionary<string, string>(meta);
    }

    /// <summary>The tensors by name; enumeration follows <see cref="Entries"/> (the order of the file header).</summary>
    public IReadOnlyDictionary<string, SafetensorsEntry> Tensors { get; }

    /// <summary>The tensors in the order the file header lists them (for files written by the reference library or
    /// by Recur, that is the order of their data).</summary>
    public IReadOnlyList<SafetensorsEntry> Entries { get; }

    /// <summary>The <c>__metadata__</c> map in header order; empty when the file has none.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The tensor called <paramref name="name"/>.</summary>
    /// <param name="name">The tensor's name.</param>
    /// <returns>The entry.</returns>
    /// <exception cref="KeyNotFoundException">No tensor has that name; the message lists a few that exist.</exception>
    public SafetensorsEntry this[string name] =>
        Tensors.TryGetValue(name, out var entry)
            ? entry
            : throw new KeyNotFoundException(
                $"No tensor '{name}' in the file; it has {Entries.Count}: {string.Join(", ", Entries.Take(8).Select(e => e.Name))}{(Entries.Count > 8 ? ", ..." : "")}.");

    /// <summary>Reads and validates a safetensors file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The parsed file; its entries' data are slices of one buffer holding the whole file.</returns>
    /// <exception cref="SafetensorsFormatException">The file is not valid safetensors.</exception>
    /// <exception cref="NotSupportedException">The file is larger than an array can hold.</exception>
    public static SafetensorsFile Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        CheckRegularFile(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        return Read(stream);
    }

    /// <summary>
    /// Reads the header of the file at <paramref name="path"/> (shapes and metadata) without its data, so that a
    /// caller can check what a file holds before allocating anything from it.
    /// </summary>
    /// <exception cref="SafetensorsFormatException">The header is not valid, or does not fit the file's size.</exception>
    public static SafetensorsHeader ReadHeader(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        CheckRegularFile(path);
        return SafetensorsReader.ReadHeader(path);
    }

    // A FIFO or a character device (/dev/zero) reports a length of 0: refusing it before opening avoids a hang or
    // an endless read. Every valid file has at least the 8-byte prefix.
    private static void CheckRegularFile(string path)
    {
        if (Directory.Exists(path)) throw new SafetensorsFormatException($"'{path}' is a folder, not a safetensors file.");
        long length = RegularFile.Length(path);
        if (length < 0) throw new FileNotFoundException($"'{path}' does not exist.", path);
        if (length < 8) throw new SafetensorsFormatException($"'{path}' is {length} bytes (or not a regular file); a safetensors file has at least 8.");
    }

    /// <summary>Parses a safetensors file held in an array, without copying it.</summary>
    /// <param name="bytes">The whole file. The entries refer into this array, so do not change it afterwards.</param>
    /// <returns>The parsed file.</returns>
    /// <exception cref="SafetensorsFormatException">The bytes are not valid safetensors.</exception>
    public static SafetensorsFile Read(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        return SafetensorsReader.Read(bytes);
    }

    /// <summary>Parses a safetensors file held in memory, without copying it.</summary>
    /// <param name="bytes">The whole file. The entries refer into this memory, so do not change it afterwards.</param>
    /// <returns>The parsed file.</returns>
    /// <exception cref="SafetensorsFormatException">The bytes are not valid safetensors.</exception>
    public static SafetensorsFile Read(ReadOnlyMemory<byte> bytes) => SafetensorsReader.Read(bytes);

    /// <summary>Reads a safetensors file from the current position of <paramref name="stream"/> to its end.</summary>
    /// <param name="stream">A readable stream; it is read to the end but not closed.</param>
    /// <returns>The parsed file.</returns>
    /// <exception cref="SafetensorsFormatException">The bytes are not valid safetensors.</exception>
    /// <exception cref="NotSupportedException">The remaining stream is larger than an array can hold.</exception>
    public static SafetensorsFile Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek)
        {
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return SafetensorsReader.Read(copy.GetBuffer().AsMemory(0, (int)copy.Length));
        }

        long remaining = Math.Max(0, stream.Length - stream.Position);
        if (remaining > Array.MaxLength)
        {
            throw new NotSupportedException(
                $"The safetensors data is {remaining} bytes; files over {Array.MaxLength} bytes are not supported.");
        }

        var bytes = new byte[remaining];
        stream.ReadExactly(bytes);
        return SafetensorsReader.Read(bytes);
    }
}
