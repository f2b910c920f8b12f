using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Recur.IO;

/// <summary>
/// Lays out a safetensors file as the reference library does (<c>safetensors::tensor::prepare</c>): tensors sorted
/// by descending dtype alignment then name, data contiguous in that order, compact JSON header with
/// <c>__metadata__</c> first, padded with spaces to a multiple of 8 bytes.
/// </summary>
internal static class SafetensorsWriter
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>A prepared file: header bytes and the entries in data order.</summary>
    internal sealed class Layout(byte[] header, SafetensorsEntry[] ordered, long dataBytes)
    {
        /// <summary>The JSON header including its space padding (the N of the prefix).</summary>
        public byte[] Header { get; } = header;

        /// <summary>The entries in the order of their data.</summary>
        public IReadOnlyList<SafetensorsEntry> Ordered { get; } = ordered;

        /// <summary>The size of the whole file: prefix, header and data.</summary>
        public long TotalBytes { get; } = 8 + header.LongLength + dataBytes;

        public void WriteTo(Stream stream)
        {
            Span<byte> prefix = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)Header.Length);
            stream.Write(prefix);
            stream.Write(Header);
            foreach (var entry in Ordered)
            {
                stream.Write(entry.Data.Span);
            }
        }
    }

    /// <summary>Materializes the entries, rejecting nulls, duplicate names and the reserved metadata key.</summary>
    public static SafetensorsEntry[] CheckEntries(IEnumerable<SafetensorsEntry> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var entries = tensors.ToArray();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (entry is null)
            {
                throw new ArgumentException("The tensor list contains null.", nameof(tensors));
            }

            if (entry.Name == SafetensorsFile.MetadataKey)
            {
                throw new ArgumentException($"'{SafetensorsFile.MetadataKey}' is reserved for metadata and cannot name a tensor.", nameof(tensors));
            }

            if (!names.Add(entry.Name))
            {
                throw new ArgumentException($"Two tensors are named '{entry.Name}'.", nameof(tensors));
            }
        }

        return entries;
    }

    public static Layout Prepare(IEnumerable<SafetensorsEntry> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        var ordered = CheckEntries(tensors);
        Array.Sort(ordered, static (a, b) =>
        {
            int byDType = b.DType.CompareTo(a.DType);
            return byDType != 0 ? byDType : Utf8OrdinalComparer.Instance.Compare(a.Name, b.Name);
        });

        var json = new StringBuilder("{");
        if (metadata is { Count: > 0 })
        {
            AppendString(json, SafetensorsFile.MetadataKey);
            json.Append(":{");
            string separator = "";
            foreach (var (key, value) in metadata.OrderBy(p => p.Key, Utf8OrdinalComparer.Instance))
            {
                ArgumentNullException.ThrowIfNull(value, nameof(metadata));
                json.Append(separator);
                AppendString(json, key);
                json.Append(':');
                AppendString(json, value);
                separator = ",";
            }

            json.Append("},");
        }

        long offset = 0;
        foreach (var entry in ordered)
        {
            AppendString(json, entry.Name);
            json.Append(":{\"dtype\":\"").Append(entry.DType.ToHeaderName()).Append("\",\"shape\":[");
            json.AppendJoin(',', entry.Shape);
            json.Append("],\"data_offsets\":[")
                .Append(offset.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append((offset + entry.Data.Length).ToString(CultureInfo.InvariantCulture)).Append("]},");
            offset += entry.Data.Length;
        }

        if (json[^1] == ',')
        {
            json.Length--;
        }

        json.Append('}');
        var header = EncodePadded(json.ToString());
        if (header.Length > SafetensorsReader.MaxHeaderBytes)
        {
            throw new ArgumentException(
                $"The header would be {header.Length} bytes, over the {SafetensorsReader.MaxHeaderBytes}-byte limit readers accept.", nameof(tensors));
        }

        return new Layout(header, ordered, offset);
    }

    /// <summary>Appends a JSON string escaped as serde_json does: quote, backslash and control characters only.</summary>
    private static void AppendString(StringBuilder json, string text)
    {
        json.Append('"');
        foreach (char c in text)
        {
            switch (c)
            {
                case '"': json.Append("\\\""); break;
                case '\\': json.Append("\\\\"); break;
                case '\b': json.Append("\\b"); break;
                case '\f': json.Append("\\f"); break;
                case '\n': json.Append("\\n"); break;
                case '\r': json.Append("\\r"); break;
                case '\t': json.Append("\\t"); break;
                case < ' ': json.Append("\\u00").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture)); break;
                default: json.Append(c); break;
            }
        }

        json.Append('"');
    }

    /// <summary>UTF-8 bytes of the header followed by spaces up to a multiple of 8 bytes.</summary>
    private static byte[] EncodePadded(string header)
    {
        byte[] body;
        try
        {
            body = StrictUtf8.GetBytes(header);
        }
        catch (EncoderFallbackException ex)
        {
            throw new ArgumentException("A tensor name or metadata string is not valid Unicode (it has an unpaired surrogate).", ex);
        }

        int padding = (8 - body.Length % 8) % 8;
        var padded = new byte[body.Length + padding];
        body.CopyTo(padded, 0);
        padded.AsSpan(body.Length).Fill((byte)' ');
        return padded;
    }
}
