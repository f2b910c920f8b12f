using System.Buffers.Binary;
using System.Text;
using Recur.IO;

namespace Recur.Tests.IO;

/// <summary>
/// Byte-for-byte layout of written files, against layouts worked out by hand from the reference library's rules
/// (safetensors <c>tensor.rs</c>, <c>prepare</c>): sort by descending dtype alignment then name; contiguous data;
/// compact JSON with <c>__metadata__</c> first; header padded with spaces to a multiple of 8.
/// </summary>
public class SafetensorsLayoutTests
{
    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    private static byte[] Prefix(ulong n)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, n);
        return bytes;
    }

    private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    private static byte[] Floats(params float[] values) =>
        values.SelectMany(v => BitConverter.GetBytes(BitConverter.SingleToUInt32Bits(v))).ToArray();

    [Fact]
    public void SingleTensor_HeaderNeedsNoPadding()
    {
        var entry = SafetensorsEntry.Create("attn.0", new float[] { 0, 1, 2, 3, 4, 5 }, [1, 2, 3]);
        var expected = Concat(
            Prefix(64),
            Ascii("{\"attn.0\":{\"dtype\":\"F32\",\"shape\":[1,2,3],\"data_offsets\":[0,24]}}"),
            Floats(0, 1, 2, 3, 4, 5));
        Assert.Equal(expected, SafetensorsFile.ToBytes([entry]));
    }

    [Fact]
    public void SingleTensor_HeaderIsPaddedWithSpacesToAMultipleOf8()
    {
        var entry = SafetensorsEntry.Create("attn0", new float[] { 0, 1, 2, 3, 4, 5 }, [1, 1, 2, 3]);
        var expected = Concat(
            Prefix(72),
            Ascii("{\"attn0\":{\"dtype\":\"F32\",\"shape\":[1,1,2,3],\"data_offsets\":[0,24]}}       "),
            Floats(0, 1, 2, 3, 4, 5));
        Assert.Equal(expected, SafetensorsFile.ToBytes([entry]));
    }

    [Fact]
    public void NoTensors_IsAnEmptyObjectPadded()
    {
        Assert.Equal(Concat(Prefix(8), Ascii("{}      ")), SafetensorsFile.ToBytes([]));
        Assert.Equal(
            Concat(Prefix(40), Ascii("{\"__metadata__\":{\"framework\":\"pt\"}}     ")),
            SafetensorsFile.ToBytes([], new Dictionary<string, string> { ["framework"] = "pt" }));
    }

    [Fact]
    public void MixedDTypes_SortByAlignmentThenName_MetadataFirst()
    {
        SafetensorsEntry[] entries =
        [
            SafetensorsEntry.Create("b", new float[] { 1, 2 }, [2]),
            SafetensorsEntry.Create("z", new[] { true }, []),
            SafetensorsEntry.Create("m", new byte[] { 7, 8, 9 }, [3]),
            SafetensorsEntry.FromBytes("h", SafetensorsDType.BFloat16, [2], new byte[] { 0x80, 0x3F, 0x00, 0x40 }),
            SafetensorsEntry.Create("a", new float[] { 3 }, [1]),
            SafetensorsEntry.Create("d", ReadOnlySpan<double>.Empty, [0]),
            SafetensorsEntry.Create("c", new long[] { -1 }, [1]),
        ];
        var metadata = new Dictionary<string, string> { ["format"] = "pt", ["alpha"] = "12" };
        string header =
            "{\"__metadata__\":{\"alpha\":\"12\",\"format\":\"pt\"}," +
            "\"c\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}," +
            "\"d\":{\"dtype\":\"F64\",\"shape\":[0],\"data_offsets\":[8,8]}," +
            "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}," +
            "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[12,20]}," +
            "\"h\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[20,24]}," +
            "\"m\":{\"dtype\":\"U8\",\"shape\":[3],\"data_offsets\":[24,27]}," +
            "\"z\":{\"dtype\":\"BOOL\",\"shape\":[],\"data_offsets\":[27,28]}}" +
            "       ";
        var expected = Concat(
            Prefix(432),
            Ascii(header),
            [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF],
            Floats(3),
            Floats(1, 2),
            [0x80, 0x3F, 0x00, 0x40],
            [7, 8, 9],
            [1]);

        var bytes = SafetensorsFile.ToBytes(entries, metadata);

        Assert.Equal(432, header.Length);
        Assert.Equal(Encoding.ASCII.GetString(expected, 8, 432), Encoding.UTF8.GetString(bytes, 8, 432));
        Assert.Equal(expected, bytes);
        Assert.Equal(["c", "d", "a", "b", "h", "m", "z"], SafetensorsFile.Read(bytes).Entries.Select(e => e.Name));
    }

    [Fact]
    public void AllDTypes_SortInTheReferenceAlignmentOrder()
    {
        SafetensorsEntry[] entries =
        [
            SafetensorsEntry.Create("bool", new[] { true }, [1]),
            SafetensorsEntry.Create("u8", new byte[] { 1 }, [1]),
            SafetensorsEntry.Create("i8", new sbyte[] { 1 }, [1]),
            SafetensorsEntry.Create("i16", new short[] { 1 }, [1]),
            SafetensorsEntry.Create("u16", new ushort[] { 1 }, [1]),
            SafetensorsEntry.Create("f16", new[] { Half.One }, [1]),
            SafetensorsEntry.CreateBFloat16("bf16", new[] { 1f }, [1]),
            SafetensorsEntry.Create("i32", new[] { 1 }, [1]),
            SafetensorsEntry.Create("u32", new uint[] { 1 }, [1]),
            SafetensorsEntry.Create("f32", new[] { 1f }, [1]),
            SafetensorsEntry.Create("f64", new[] { 1.0 }, [1]),
            SafetensorsEntry.Create("i64", new[] { 1L }, [1]),
            SafetensorsEntry.Create("u64", new ulong[] { 1 }, [1]),
        ];
        var order = SafetensorsFile.Read(SafetensorsFile.ToBytes(entries)).Entries.Select(e => e.Name);
        Assert.Equal(["u64", "i64", "f64", "f32", "u32", "i32", "bf16", "f16", "u16", "i16", "i8", "u8", "bool"], order);
    }

    [Fact]
    public void Names_SortByUtf8Bytes_NotUtf16()
    {
        // U+E000 is EE 80 80 in UTF-8 and sorts before U+1F600 (F0 9F 98 80); in UTF-16 the surrogate D83D sorts first.
        string privateUse = "\uE000", emoji = "\U0001F600";
        var bytes = SafetensorsFile.ToBytes(
        [
            SafetensorsEntry.Create(emoji, new[] { 1f }, [1]),
            SafetensorsEntry.Create(privateUse, new[] { 2f }, [1]),
            SafetensorsEntry.Create("Z", new[] { 3f }, [1]),
            SafetensorsEntry.Create("a", new[] { 4f }, [1]),
        ]);
        Assert.Equal(["Z", "a", privateUse, emoji], SafetensorsFile.Read(bytes).Entries.Select(e => e.Name));
        Assert.Contains("\"\U0001F600\":", SafetensorsTestFiles.HeaderText(bytes));
    }

    [Fact]
    public void Strings_AreEscapedLikeSerdeJson()
    {
        var bytes = SafetensorsFile.ToBytes(
            [SafetensorsEntry.Create("q\"b\\s\n\u0001\u001f\u007f\u00e9<&>", new[] { 1f }, [1])],
            new Dictionary<string, string> { ["k"] = "\t\b\f\r/" });
        string header = SafetensorsTestFiles.HeaderText(bytes);
        Assert.StartsWith("{\"__metadata__\":{\"k\":\"\\t\\b\\f\\r/\"},\"q\\\"b\\\\s\\n\\u0001\\u001f\u007f\u00e9<&>\":{", header);
    }

    [Fact]
    public void WrittenFiles_AlignEveryTensorToItsElementSize()
    {
        var bytes = SafetensorsFile.ToBytes(
        [
            SafetensorsEntry.Create("odd", new byte[] { 1, 2, 3 }, [3]),
            SafetensorsEntry.Create("x", new[] { 1.0, 2.0 }, [2]),
            SafetensorsEntry.Create("y", new[] { 1f, 2f, 3f }, [3]),
            SafetensorsEntry.Create("n", new short[] { 1 }, [1]),
        ]);
        ulong n = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0UL, n % 8);
        var file = SafetensorsFile.Read(bytes);
        long offset = 0;
        foreach (var entry in file.Entries)
        {
            Assert.Equal(0, offset % entry.DType.ElementSize());
            offset += entry.Data.Length;
        }
    }
}
