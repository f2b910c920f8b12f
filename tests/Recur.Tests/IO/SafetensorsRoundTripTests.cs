using Recur.IO;

namespace Recur.Tests.IO;

public class SafetensorsRoundTripTests
{
    private static SafetensorsEntry RoundTrip(SafetensorsEntry entry)
    {
        var file = SafetensorsFile.Read(SafetensorsFile.ToBytes([entry]));
        var back = Assert.Single(file.Entries);
        Assert.Equal(entry.Name, back.Name);
        Assert.Equal(entry.DType, back.DType);
        Assert.Equal(entry.Shape, back.Shape);
        Assert.Equal(entry.ElementCount, back.ElementCount);
        Assert.Equal(entry.Data.ToArray(), back.Data.ToArray());
        return back;
    }

    [Fact]
    public void Float32_IsBitExact_IncludingNaNPayloads()
    {
        uint[] bits = [0x00000000, 0x80000000, 0x3F800000, 0x7F800000, 0xFF800000, 0x00000001, 0x7F7FFFFF,
            0x7FC00000, 0x7FA00001, 0xFFC12345, 0x7F800001];
        var values = bits.Select(BitConverter.UInt32BitsToSingle).ToArray();
        var back = RoundTrip(SafetensorsEntry.Create("f32", values, [bits.Length]));
        Assert.Equal(SafetensorsDType.Float32, back.DType);
        Assert.Equal(bits, back.ToSingleArray().Select(BitConverter.SingleToUInt32Bits));
    }

    [Fact]
    public void Float64_IsBitExact_IncludingNaNPayloads()
    {
        ulong[] bits = [0, 0x8000000000000000, 0x3FF0000000000000, 0x7FF0000000000000, 0x0000000000000001,
            0x7FF8000000000000, 0x7FF4000000000001, 0xFFF800000000ABCD];
        var values = bits.Select(BitConverter.UInt64BitsToDouble).ToArray();
        var back = RoundTrip(SafetensorsEntry.Create("f64", values, [2, 4]));
        Assert.Equal(bits, back.ToDoubleArray().Select(BitConverter.DoubleToUInt64Bits));
        Assert.Equal(1f, back.ToSingleArray()[2]);
    }

    [Fact]
    public void Float16_IsBitExact_IncludingNaNPayloads()
    {
        ushort[] bits = [0x0000, 0x8000, 0x3C00, 0x7BFF, 0x0001, 0x7C00, 0xFC00, 0x7E00, 0x7D01, 0xFE3F];
        var values = bits.Select(BitConverter.UInt16BitsToHalf).ToArray();
        var back = RoundTrip(SafetensorsEntry.Create("f16", values, [bits.Length]));
        Assert.Equal(bits, back.ToHalfArray().Select(BitConverter.HalfToUInt16Bits));
        Assert.Equal(1f, back.ToSingleArray()[2]);
        Assert.Equal(65504f, back.ToSingleArray()[3]);
    }

    [Fact]
    public void BFloat16_RawBits_AreBitExact_AndWidenExactly()
    {
        ushort[] bits = [0x0000, 0x8000, 0x3F80, 0x7F7F, 0x0001, 0x7F80, 0xFF80, 0x7FC0, 0x7F81, 0xFFA5];
        var bytes = bits.SelectMany(b => new[] { (byte)b, (byte)(b >> 8) }).ToArray();
        var back = RoundTrip(SafetensorsEntry.FromBytes("bf16", SafetensorsDType.BFloat16, [bits.Length], bytes));
        Assert.Equal(bits, back.ToBFloat16Bits());
        Assert.Equal(bits.Select(b => (uint)b << 16), back.ToSingleArray().Select(BitConverter.SingleToUInt32Bits));
    }

    [Fact]
    public void Int64_RoundTrips()
    {
        long[] values = [long.MinValue, -1, 0, 1, long.MaxValue];
        var back = RoundTrip(SafetensorsEntry.Create("i64", values, [5]));
        Assert.Equal(values, back.ToInt64Array());
        Assert.Throws<OverflowException>(() => back.ToInt32Array());
    }

    [Fact]
    public void Int32_RoundTrips()
    {
        int[] values = [int.MinValue, -7, 0, 7, int.MaxValue, 42];
        var back = RoundTrip(SafetensorsEntry.Create("i32", values, [3, 2]));
        Assert.Equal(values, back.ToInt32Array());
        Assert.Equal(values.Select(v => (long)v), back.ToInt64Array());
        Assert.Equal(values.Select(v => (float)v), back.ToSingleArray());
    }

    [Fact]
    public void UInt8_RoundTrips()
    {
        var values = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        var back = RoundTrip(SafetensorsEntry.Create("u8", values, [16, 16]));
        Assert.Equal(values.Select(v => (int)v), back.ToInt32Array());
    }

    [Fact]
    public void Bool_RoundTrips()
    {
        bool[] values = [true, false, false, true, true];
        var back = RoundTrip(SafetensorsEntry.Create("mask", values, [5]));
        Assert.Equal(values, back.ToBooleanArray());
        Assert.Equal(new byte[] { 1, 0, 0, 1, 1 }, back.Data.ToArray());
        Assert.Equal(new long[] { 1, 0, 0, 1, 1 }, back.ToInt64Array());
    }

    [Fact]
    public void SmallerIntegerTypes_RoundTrip()
    {
        sbyte[] i8 = [sbyte.MinValue, -1, 0, sbyte.MaxValue];
        short[] i16 = [short.MinValue, -1, 0, short.MaxValue];
        ushort[] u16 = [0, 1, ushort.MaxValue, 300];
        uint[] u32 = [0, 1, uint.MaxValue, 70000];
        ulong[] u64 = [0, 1, long.MaxValue, 5];
        Assert.Equal(i8.Select(v => (long)v), RoundTrip(SafetensorsEntry.Create("i8", i8, [4])).ToInt64Array());
        Assert.Equal(i16.Select(v => (long)v), RoundTrip(SafetensorsEntry.Create("i16", i16, [4])).ToInt64Array());
        Assert.Equal(u16.Select(v => (long)v), RoundTrip(SafetensorsEntry.Create("u16", u16, [2, 2])).ToInt64Array());
        Assert.Equal(u32.Select(v => (long)v), RoundTrip(SafetensorsEntry.Create("u32", u32, [4])).ToInt64Array());
        Assert.Equal(u64.Select(v => (long)v), RoundTrip(SafetensorsEntry.Create("u64", u64, [4])).ToInt64Array());
        Assert.Equal(SafetensorsDType.Int8, RoundTrip(SafetensorsEntry.Create("i8", i8, [4])).DType);
    }

    [Fact]
    public void UInt64_BeyondInt64_ThrowsOnInt64Conversion_ButConvertsToFloat()
    {
        var entry = SafetensorsEntry.Create("big", new ulong[] { ulong.MaxValue }, [1]);
        var ex = Assert.Throws<OverflowException>(() => entry.ToInt64Array());
        Assert.Contains("'big'", ex.Message);
        Assert.Equal(18446744073709551615d, entry.ToDoubleArray()[0]);
    }

    [Fact]
    public void FloatData_RefusesIntegerConversion_WithAClearMessage()
    {
        var entry = SafetensorsEntry.Create("w", new float[] { 1.5f }, [1]);
        var ex = Assert.Throws<InvalidOperationException>(() => entry.ToInt64Array());
        Assert.Contains("Tensor 'w'", ex.Message);
        Assert.Contains("F32", ex.Message);
        Assert.Throws<InvalidOperationException>(() => entry.ToBooleanArray());
        Assert.Throws<InvalidOperationException>(() => entry.ToHalfArray());
    }

    [Fact]
    public void Metadata_RoundTrips_WithEscapesAndUnicode()
    {
        var metadata = new Dictionary<string, string>
        {
            ["kind"] = "recurrent",
            ["config"] = "{\"hidden_size\": 5, \"note\": \"tab\\there\"}",
            ["control"] = "line1\nline2\r\t\u0001\u001f\u007f end",
            ["unicode"] = "h\u00e9llo \u4e16\u754c \U0001F600",
            ["empty"] = "",
        };
        var file = SafetensorsFile.Read(SafetensorsFile.ToBytes([SafetensorsEntry.Create("x", new float[] { 1 }, [])], metadata));
        Assert.Equal(metadata.OrderBy(p => p.Key, StringComparer.Ordinal), file.Metadata.OrderBy(p => p.Key, StringComparer.Ordinal));
    }

    [Fact]
    public void EmptyTensors_AndScalars_RoundTrip()
    {
        var empty = SafetensorsEntry.Create("empty", ReadOnlySpan<float>.Empty, [3, 0, 2]);
        var emptyI64 = SafetensorsEntry.Create("empty64", ReadOnlySpan<long>.Empty, [0]);
        var scalar = SafetensorsEntry.Create("scalar", new double[] { 2.5 }, []);
        var file = SafetensorsFile.Read(SafetensorsFile.ToBytes([empty, emptyI64, scalar]));

        Assert.Equal([3, 0, 2], file["empty"].Shape);
        Assert.Equal(0, file["empty"].ElementCount);
        Assert.Empty(file["empty"].ToSingleArray());
        Assert.Empty(file["empty64"].ToInt64Array());
        Assert.Empty(file["scalar"].Shape);
        Assert.Equal(0, file["scalar"].Rank);
        Assert.Equal(1, file["scalar"].ElementCount);
        Assert.Equal(2.5, Assert.Single(file["scalar"].ToDoubleArray()));
    }

    [Fact]
    public void FileWithNoTensors_RoundTrips()
    {
        var file = SafetensorsFile.Read(SafetensorsFile.ToBytes([]));
        Assert.Empty(file.Entries);
        Assert.Empty(file.Tensors);
        Assert.Empty(file.Metadata);

        var withMeta = SafetensorsFile.Read(SafetensorsFile.ToBytes([], new Dictionary<string, string> { ["a"] = "b" }));
        Assert.Empty(withMeta.Entries);
        Assert.Equal("b", withMeta.Metadata["a"]);
    }

    [Fact]
    public void ManyTensors_KeepTheirData_AndTheDictionaryFollowsFileOrder()
    {
        var entries = Enumerable.Range(0, 20)
            .Select(i => SafetensorsEntry.Create($"t{i:00}", Enumerable.Range(0, i).Select(v => v * 0.5f).ToArray(), [i]))
            .ToList();
        entries.Add(SafetensorsEntry.Create("idx", new long[] { 3, 1 }, [2]));
        var file = SafetensorsFile.Read(SafetensorsFile.ToBytes(entries));

        Assert.Equal(file.Entries.Select(e => e.Name), file.Tensors.Keys);
        Assert.Equal("idx", file.Entries[0].Name);
        foreach (var entry in entries)
        {
            Assert.Equal(entry.Data.ToArray(), file[entry.Name].Data.ToArray());
        }
    }

    [Fact]
    public void ReadFromPath_Stream_AndNonSeekableStream_AgreeWithBytes()
    {
        var bytes = SafetensorsFile.ToBytes([SafetensorsEntry.Create("a", new float[] { 1, 2, 3 }, [3])]);
        using var temp = new TempFolder();
        File.WriteAllBytes(temp.File("a.safetensors"), bytes);

        var fromPath = SafetensorsFile.Read(temp.File("a.safetensors"));
        using var seekable = new MemoryStream(bytes);
        var fromStream = SafetensorsFile.Read(seekable);
        using var forwardOnly = new ForwardOnlyStream(bytes);
        var fromForwardOnly = SafetensorsFile.Read(forwardOnly);

        foreach (var file in new[] { fromPath, fromStream, fromForwardOnly })
        {
            Assert.Equal(new float[] { 1, 2, 3 }, file["a"].ToSingleArray());
        }
    }

    [Fact]
    public void Factories_RejectMismatchedCounts_AndBadShapes()
    {
        var count = Assert.Throws<ArgumentException>(() => SafetensorsEntry.Create("w", new float[5], [2, 3]));
        Assert.Contains("5 values", count.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => SafetensorsEntry.Create("w", new float[0], [-1]));
        var bytes = Assert.Throws<ArgumentException>(() => SafetensorsEntry.FromBytes("w", SafetensorsDType.Float32, [2], new byte[7]));
        Assert.Contains("needs 8", bytes.Message);
    }

    [Fact]
    public void Writer_RejectsDuplicateNames_AndTheReservedKey()
    {
        var a = SafetensorsEntry.Create("a", new float[] { 1 }, [1]);
        Assert.Contains("'a'", Assert.Throws<ArgumentException>(() => SafetensorsFile.ToBytes([a, a])).Message);
        var reserved = a.WithName(SafetensorsFile.MetadataKey);
        Assert.Contains("reserved", Assert.Throws<ArgumentException>(() => SafetensorsFile.ToBytes([reserved])).Message);
    }

    [Fact]
    public void Writer_RejectsNamesThatAreNotValidUnicode()
    {
        var loneSurrogate = SafetensorsEntry.Create("bad\uD800", new float[] { 1 }, [1]);
        var ex = Assert.Throws<ArgumentException>(() => SafetensorsFile.ToBytes([loneSurrogate]));
        Assert.Contains("not valid Unicode", ex.Message);
    }

    [Fact]
    public void MissingTensor_IndexerNamesIt()
    {
        var file = new SafetensorsFile([SafetensorsEntry.Create("a", new float[] { 1 }, [1])]);
        var ex = Assert.Throws<KeyNotFoundException>(() => file["b"]);
        Assert.Contains("'b'", ex.Message);
        Assert.Contains("a", ex.Message);
    }

    private sealed class ForwardOnlyStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }
    }
}
