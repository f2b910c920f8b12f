using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Unicode;

namespace Recur.IO;

/// <summary>
/// Parses and validates a whole safetensors file held in memory. Every defect is reported as a
/// <see cref="SafetensorsFormatException"/>; sizes are checked before anything is allocated from them.
/// </summary>
/// <remarks>
/// Layout: <c>[u64 little-endian N][N bytes UTF-8 JSON object][data buffer]</c>. Offsets in the header are
/// relative to the data buffer, which the tensors must cover exactly, without holes, overlaps or trailing bytes.
/// </remarks>
internal static class SafetensorsReader
{
    /// <summary>The largest header accepted, as the reference implementation (100 MB).</summary>
    public const int MaxHeaderBytes = 100_000_000;

    /// <summary>JSON nesting allowed in the header: root, entry, shape array and a little slack for clear errors.</summary>
    private const int MaxJsonDepth = 8;

    private const int PrefixBytes = 8;

    public static SafetensorsFile Read(ReadOnlyMemory<byte> file)
    {
        var span = file.Span;
        if (span.Length < PrefixBytes)
        {
            throw new SafetensorsFormatException(
                $"File is {span.Length} bytes, shorter than the 8-byte header length prefix.");
        }

        int headerLength = CheckHeaderLength(BinaryPrimitives.ReadUInt64LittleEndian(span), span.Length);
        var buffer = file[(PrefixBytes + headerLength)..];
        var (infos, metadata) = ParseHeader(file.Slice(PrefixBytes, headerLength), buffer.Length);
        CheckCoverage(infos, buffer.Length);
        var entries = new List<SafetensorsEntry>(infos.Count);
        foreach (var info in infos)
        {
            var data = buffer.Slice((int)info.Begin, (int)(info.End - info.Begin));
            entries.Add(SafetensorsEntry.FromValidated(info.Name, info.DType, info.Shape, info.ElementCount, data));
        }

        return new SafetensorsFile(entries, metadata);
    }

    /// <summary>
    /// Reads only the prefix and the header of the file at <paramref name="path"/> (its data is not read), checked as
    /// <see cref="Read(ReadOnlyMemory{byte})"/> checks them: the entries' dtypes, shapes and offsets against the file's size.
    /// </summary>
    public static SafetensorsHeader ReadHeader(string path)
    {
        long fileLength = RegularFile.Length(path);
        if (fileLength < PrefixBytes)
        {
            throw new SafetensorsFormatException($"File is {fileLength} bytes, shorter than the 8-byte header length prefix.");
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
        Span<byte> prefix = stackalloc byte[PrefixBytes];
        stream.ReadExactly(prefix);
        int headerLength = CheckHeaderLength(BinaryPrimitives.ReadUInt64LittleEndian(prefix), fileLength);
        var header = new byte[headerLength];
        stream.ReadExactly(header);
        var (infos, metadata) = ParseHeader(header, fileLength - PrefixBytes - headerLength);
        CheckCoverage(infos, fileLength - PrefixBytes - headerLength);
        return new SafetensorsHeader(infos.ToDictionary(i => i.Name, i => i.Shape, StringComparer.Ordinal),
            metadata.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal), infos.Sum(i => (long)i.ElementCount));
    }

    private static int CheckHeaderLength(ulong headerLength, long fileLength)
    {
        if (headerLength > MaxHeaderBytes)
        {
            throw new SafetensorsFormatException(
                $"Header length {headerLength} exceeds the limit of {MaxHeaderBytes} bytes.");
        }

        if (headerLength > (ulong)(fileLength - PrefixBytes))
        {
            throw new SafetensorsFormatException(
                $"Header length {headerLength} runs past the end of the file ({fileLength - PrefixBytes} bytes follow the prefix).");
        }

        return (int)headerLength;
    }

    private static (List<SafetensorsHeaderEntry> Infos, IReadOnlyList<KeyValuePair<string, string>> Metadata) ParseHeader(ReadOnlyMemory<byte> header, long bufferLength)
    {
        if (!Utf8.IsValid(header.Span))
        {
            throw new SafetensorsFormatException("Header is not valid UTF-8.");
        }

        using var document = ParseJson(header);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new SafetensorsFormatException($"Header JSON must be an object, found {root.ValueKind}.");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        var infos = new List<SafetensorsHeaderEntry>();
        IReadOnlyList<KeyValuePair<string, string>> metadata = [];
        foreach (var property in root.EnumerateObject())
        {
            if (!names.Add(property.Name))
            {
                throw property.Name == SafetensorsFile.MetadataKey
                    ? new SafetensorsFormatException($"Header has more than one '{SafetensorsFile.MetadataKey}' entry.")
                    : SafetensorsFormatException.ForTensor(property.Name, "the name appears more than once in the header.");
            }

            if (property.Name == SafetensorsFile.MetadataKey)
            {
                metadata = ReadMetadata(property.Value);
            }
            else
            {
                infos.Add(SafetensorsHeaderEntry.Parse(property.Name, property.Value, bufferLength));
            }
        }

        return (infos, metadata);
    }

    private static JsonDocument ParseJson(ReadOnlyMemory<byte> header)
    {
        var options = new JsonDocumentOptions
        {
            MaxDepth = MaxJsonDepth,
            CommentHandling = JsonCommentHandling.Disallow,
            AllowTrailingCommas = false,
        };
        try
        {
            return JsonDocument.Parse(header, options);
        }
        catch (JsonException ex)
        {
            throw new SafetensorsFormatException($"Header is not valid JSON: {ex.Message}", ex);
        }
    }

    private static List<KeyValuePair<string, string>> ReadMetadata(JsonElement value)
    {
        var result = new List<KeyValuePair<string, string>>();
        if (value.ValueKind == JsonValueKind.Null)
        {
            return result;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new SafetensorsFormatException(
                $"'{SafetensorsFile.MetadataKey}' must be a JSON object of strings, found {value.ValueKind}.");
        }

        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in value.EnumerateObject())
        {
            if (!keys.Add(item.Name))
            {
                throw new SafetensorsFormatException($"Metadata key '{item.Name}' appears more than once.");
            }

            if (item.Value.ValueKind != JsonValueKind.String)
            {
                throw new SafetensorsFormatException(
                    $"Metadata value for key '{item.Name}' must be a string, found {item.Value.ValueKind}.");
            }

            result.Add(new(item.Name, item.Value.GetString()!));
        }

        return result;
    }

    /// <summary>Checks that the tensors tile the data buffer exactly: no overlap, no hole, no trailing bytes.</summary>
    private static void CheckCoverage(List<SafetensorsHeaderEntry> infos, long bufferLength)
    {
        var sorted = infos.ToArray();
        Array.Sort(sorted, static (a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
        long cursor = 0;
        SafetensorsHeaderEntry? previous = null;
        foreach (var info in sorted)
        {
            if (info.Begin < cursor)
            {
                throw SafetensorsFormatException.ForTensor(info.Name,
                    $"data_offsets [{info.Begin}, {info.End}] overlap tensor '{previous!.Name}' at [{previous.Begin}, {previous.End}].");
            }

            if (info.Begin > cursor)
            {
                throw SafetensorsFormatException.ForTensor(info.Name,
                    $"data_offsets start at {info.Begin} but the previous tensor ends at {cursor}: bytes [{cursor}, {info.Begin}) of the data buffer belong to no tensor (a hole).");
            }

            cursor = info.End;
            previous = info;
        }

        if (cursor != bufferLength)
        {
            throw new SafetensorsFormatException(
                $"The tensors cover {cursor} bytes of the data buffer but it holds {bufferLength}: {bufferLength - cursor} trailing bytes belong to no tensor.");
        }
    }
}
