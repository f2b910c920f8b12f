using System.Text.Json;

namespace Recur.IO;

/// <summary>
/// One tensor's header record, <c>{"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}</c>, checked on
/// its own: fields present once each with the right JSON types, a supported dtype, dimensions that are
/// non-negative integers, an element count that does not overflow, and offsets inside the data buffer that span
/// exactly <c>count * elementSize</c> bytes. Whether the records tile the buffer is the reader's check.
/// </summary>
internal sealed class SafetensorsHeaderEntry
{
    private SafetensorsHeaderEntry(string name, SafetensorsDType dtype, int[] shape, int elementCount, long begin, long end)
    {
        Name = name;
        DType = dtype;
        Shape = shape;
        ElementCount = elementCount;
        Begin = begin;
        End = end;
    }

    public string Name { get; }

    public SafetensorsDType DType { get; }

    public int[] Shape { get; }

    public int ElementCount { get; }

    /// <summary>First byte, relative to the data buffer.</summary>
    public long Begin { get; }

    /// <summary>One past the last byte, relative to the data buffer.</summary>
    public long End { get; }

    public static SafetensorsHeaderEntry Parse(string name, JsonElement value, long bufferLength)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Error(name, $"the header entry must be a JSON object, found {value.ValueKind}.");
        }

        JsonElement? dtypeValue = null, shapeValue = null, offsetsValue = null;
        foreach (var field in value.EnumerateObject())
        {
            switch (field.Name)
            {
                case "dtype": Assign(ref dtypeValue, field, name); break;
                case "shape": Assign(ref shapeValue, field, name); break;
                case "data_offsets": Assign(ref offsetsValue, field, name); break;
                default: throw Error(name, $"unexpected field '{field.Name}' (expected dtype, shape, data_offsets).");
            }
        }

        var dtype = ParseDType(name, dtypeValue ?? throw Missing(name, "dtype"));
        var shape = ParseShape(name, shapeValue ?? throw Missing(name, "shape"));
        var (begin, end) = ParseOffsets(name, offsetsValue ?? throw Missing(name, "data_offsets"));
        long count = CountElements(name, shape);

        if (begin > end)
        {
            throw Error(name, $"data_offsets begin {begin} is after end {end}.");
        }

        if (end > bufferLength)
        {
            throw Error(name, $"data_offsets end {end} is beyond the data buffer ({bufferLength} bytes).");
        }

        long needed = count * dtype.ElementSize(); // count <= Array.MaxLength, so this cannot overflow

        if (end - begin != needed)
        {
            throw Error(name,
                $"data_offsets [{begin}, {end}] span {end - begin} bytes but shape {SafetensorsEntry.FormatShape(shape)} of {dtype.ToHeaderName()} needs {needed}.");
        }

        return new SafetensorsHeaderEntry(name, dtype, shape, (int)count, begin, end);
    }

    private static void Assign(ref JsonElement? slot, JsonProperty field, string name)
    {
        if (slot is not null)
        {
            throw Error(name, $"field '{field.Name}' appears more than once.");
        }

        slot = field.Value;
    }

    private static SafetensorsDType ParseDType(string name, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            throw Error(name, $"field 'dtype' must be a string, found {value.ValueKind}.");
        }

        string text = value.GetString()!;
        if (!SafetensorsDTypeExtensions.TryParseHeaderName(text, out var dtype))
        {
            throw Error(name,
                $"unknown or unsupported dtype '{text}' (supported: BOOL, U8, I8, I16, U16, F16, BF16, I32, U32, F32, F64, I64, U64).");
        }

        return dtype;
    }

    private static int[] ParseShape(string name, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw Error(name, $"field 'shape' must be an array of integers, found {value.ValueKind}.");
        }

        var shape = new int[value.GetArrayLength()];
        int i = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number)
            {
                throw Error(name, $"shape[{i}] must be an integer, found {item.ValueKind}.");
            }

            if (!item.TryGetInt64(out long dim))
            {
                string literal = item.GetRawText();
                bool integerLiteral = literal.TrimStart('-').All(char.IsAsciiDigit);
                string raw = Clip(literal);
                throw Error(name, !integerLiteral
                    ? $"shape[{i}] = {raw} is not an integer."
                    : raw.StartsWith('-') ? $"shape[{i}] = {raw} is negative." : $"shape[{i}] = {raw} is too large.");
            }

            if (dim < 0)
            {
                throw Error(name, $"shape[{i}] = {dim} is negative.");
            }

            if (dim > int.MaxValue)
            {
                throw Error(name, $"shape[{i}] = {dim} is too large (at most {int.MaxValue} per dimension).");
            }

            shape[i++] = (int)dim;
        }

        return shape;
    }

    /// <summary>The product of the dimensions, with overflow and the largest array size checked.</summary>
    private static long CountElements(string name, int[] shape)
    {
        long count = 1;
        try
        {
            foreach (int dim in shape)
            {
                count = checked(count * dim);
            }
        }
        catch (OverflowException)
        {
            throw Error(name, $"the element count of shape {SafetensorsEntry.FormatShape(shape)} overflows.");
        }

        if (count > Array.MaxLength)
        {
            throw Error(name, $"shape {SafetensorsEntry.FormatShape(shape)} has {count} elements, more than an array can hold.");
        }

        return count;
    }

    private static (long Begin, long End) ParseOffsets(string name, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() != 2)
        {
            string found = value.ValueKind == JsonValueKind.Array ? $"{value.GetArrayLength()} elements" : value.ValueKind.ToString();
            throw Error(name, $"field 'data_offsets' must be an array of two integers [begin, end], found {found}.");
        }

        return (ParseOffset(name, value[0], "begin"), ParseOffset(name, value[1], "end"));
    }

    private static long ParseOffset(string name, JsonElement item, string which)
    {
        if (item.ValueKind != JsonValueKind.Number)
        {
            throw Error(name, $"data_offsets {which} must be an integer, found {item.ValueKind}.");
        }

        if (!item.TryGetInt64(out long offset) || offset < 0)
        {
            throw Error(name, $"data_offsets {which} = {Clip(item.GetRawText())} is not an integer between 0 and {long.MaxValue}.");
        }

        return offset;
    }

    /// <summary>Shortens a JSON literal for an error message (a hostile number may be megabytes long).</summary>
    private static string Clip(string raw) => raw.Length <= 40 ? raw : raw[..40] + "...";

    private static SafetensorsFormatException Missing(string name, string field) =>
        Error(name, $"missing field '{field}'.");

    private static SafetensorsFormatException Error(string name, string message) =>
        SafetensorsFormatException.ForTensor(name, message);
}
