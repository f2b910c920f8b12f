using System.Buffers.Binary;
using System.Text;
using Recur.IO;

namespace Recur.Tests.IO;

/// <summary>
/// Every malformed input must fail with <see cref="SafetensorsFormatException"/> and a message naming the
/// problem: never an out-of-memory, hang, crash or index error.
/// </summary>
public class SafetensorsHostileInputTests
{
    private const string F32x2 = "{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";

    private static SafetensorsFormatException Fails(byte[] file, string fragment)
    {
        var ex = Assert.Throws<SafetensorsFormatException>(() => SafetensorsFile.Read(file));
        Assert.Contains(fragment, ex.Message);
        return ex;
    }

    private static SafetensorsFormatException Fails(string header, int dataLength, string fragment) =>
        Fails(SafetensorsTestFiles.Build(header, dataLength), fragment);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    public void FileShorterThan8Bytes(int length) => Fails(new byte[length], "shorter than the 8-byte");

    [Fact]
    public void HeaderLengthBeyondTheFile() =>
        Fails(SafetensorsTestFiles.Build(Encoding.ASCII.GetBytes("{}"), 0, declaredLength: 1000), "runs past the end of the file");

    [Theory]
    [InlineData(100_000_001UL)]
    [InlineData(ulong.MaxValue)]
    [InlineData(1UL << 63)]
    public void HeaderLengthAbsurdlyLarge(ulong declared) =>
        Fails(SafetensorsTestFiles.Build(Encoding.ASCII.GetBytes("{}"), 0, declared), "exceeds the limit of 100000000 bytes");

    [Fact]
    public void HeaderNotUtf8() =>
        Fails(SafetensorsTestFiles.Build([(byte)'{', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)':', (byte)'1', (byte)'}']), "not valid UTF-8");

    [Theory]
    [InlineData("{\"a\":")]
    [InlineData("{\"a\":{}} x")]
    [InlineData("{'a':{}}")]
    [InlineData("{\"a\":{},}")]
    [InlineData("{/* comment */}")]
    [InlineData("")]
    public void HeaderNotJson(string header) => Fails(header, 0, "not valid JSON");

    [Fact]
    public void HeaderNestedTooDeeply_FailsAsInvalidJson_WithoutStackOverflow()
    {
        string deep = "{\"a\":" + new string('[', 100_000) + new string(']', 100_000) + "}";
        Fails(deep, 0, "not valid JSON");
    }

    [Theory]
    [InlineData("[]", "found Array")]
    [InlineData("\"text\"", "found String")]
    [InlineData("null", "found Null")]
    [InlineData("42", "found Number")]
    public void HeaderNotAnObject(string header, string fragment)
    {
        var ex = Fails(header, 0, "must be an object");
        Assert.Contains(fragment, ex.Message);
    }

    [Theory]
    [InlineData("{\"t\":5}", "must be a JSON object, found Number")]
    [InlineData("{\"t\":[]}", "must be a JSON object, found Array")]
    [InlineData("{\"t\":{\"shape\":[2],\"data_offsets\":[0,8]}}", "missing field 'dtype'")]
    [InlineData("{\"t\":{\"dtype\":\"F32\",\"data_offsets\":[0,8]}}", "missing field 'shape'")]
    [InlineData("{\"t\":{\"dtype\":\"F32\",\"shape\":[2]}}", "missing field 'data_offsets'")]
    [InlineData("{\"t\":{\"dtype\":32,\"shape\":[2],\"data_offsets\":[0,8]}}", "'dtype' must be a string, found Number")]
    [InlineData("{\"t\":{\"dtype\":\"F32\",\"shape\":2,\"data_offsets\":[0,8]}}", "'shape' must be an array of integers, found Number")]
    [InlineData("{\"t\":{\"dtype\":\"F32\",\"shape\":[\"2\"],\"data_offsets\":[0,8]}}", "shape[0] must be an integer, found String")]
    [InlineData("{\"t\":{\"dtype\":\"F32\",\"shape\":[[2]],\"data_offsets\":[0,8]}}", "shape[0] must be an integer, found Array")]
    [InlineData("{\"t\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":{\"begin\":0}}}", "'data_offsets' must be an array of two integers [begin, end], found Object")]
    [InlineData("{\"t\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8]}}", "found 1 elements")]
    [InlineData("{\"t\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4,8]}}", "found 3 elements")]
    [InlineData("{\"t\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[\"0\",8]}}", "data_offsets begin must be an integer, found String")]
    [InlineData("{\"t\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,null]}}", "data_offsets end must be an integer, found Null")]
    [InlineData("{\"t\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8],\"extra\":1}}", "unexpected field 'extra'")]
    [InlineData("{\"t\":{\"dtype\":\"F32\",\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", "field 'dtype' appears more than once")]
    public void EntryWithMissingOrMistypedFields(string header, string fragment)
    {
        var ex = Fails(header, 8, fragment);
        Assert.Equal("t", ex.TensorName);
        Assert.StartsWith("Tensor 't': ", ex.Message);
    }

    [Theory]
    [InlineData("F8_E4M3")]
    [InlineData("f32")]
    [InlineData("C64")]
    [InlineData("")]
    public void UnknownDType(string dtype) =>
        Fails($"{{\"t\":{{\"dtype\":\"{dtype}\",\"shape\":[2],\"data_offsets\":[0,8]}}}}", 8, $"unknown or unsupported dtype '{dtype}'");

    [Theory]
    [InlineData("-1", "shape[1] = -1 is negative")]
    [InlineData("-99999999999999999999", "is negative")]
    [InlineData("1.5", "shape[1] = 1.5 is not an integer")]
    [InlineData("2.0", "shape[1] = 2.0 is not an integer")]
    [InlineData("1e2", "shape[1] = 1e2 is not an integer")]
    [InlineData("2147483648", "shape[1] = 2147483648 is too large")]
    [InlineData("18446744073709551616", "is too large")]
    public void BadShapeDimension(string dim, string fragment) =>
        Fails($"{{\"t\":{{\"dtype\":\"F32\",\"shape\":[1,{dim}],\"data_offsets\":[0,8]}}}}", 8, fragment);

    [Fact]
    public void ElementCountOverflow_IsCaughtWithCheckedArithmetic() =>
        Fails("{\"t\":{\"dtype\":\"F32\",\"shape\":[2147483647,2147483647,2147483647],\"data_offsets\":[0,8]}}", 8, "element count of shape [2147483647, 2147483647, 2147483647] overflows");

    [Fact]
    public void ElementCountBeyondAnArray() =>
        Fails("{\"t\":{\"dtype\":\"F64\",\"shape\":[2147483647,2147483647,2],\"data_offsets\":[0,8]}}", 8, "more than an array can hold");

    [Fact]
    public void ElementCountOverflowAfterAZeroDimension_IsStillZero()
    {
        var file = SafetensorsFile.Read(SafetensorsTestFiles.Build("{\"t\":{\"dtype\":\"F32\",\"shape\":[0,2147483647,2147483647,2147483647],\"data_offsets\":[0,0]}}"));
        Assert.Equal(0, file["t"].ElementCount);
    }

    [Theory]
    [InlineData("[-1,8]", "data_offsets begin = -1 is not an integer")]
    [InlineData("[0.5,8]", "data_offsets begin = 0.5 is not an integer")]
    [InlineData("[0,18446744073709551616]", "data_offsets end = 18446744073709551616 is not an integer")]
    [InlineData("[0,9223372036854775808]", "data_offsets end = 9223372036854775808 is not an integer")]
    [InlineData("[8,0]", "data_offsets begin 8 is after end 0")]
    [InlineData("[0,16]", "data_offsets end 16 is beyond the data buffer (8 bytes)")]
    [InlineData("[4,12]", "data_offsets end 12 is beyond the data buffer")]
    public void BadDataOffsets(string offsets, string fragment) =>
        Fails($"{{\"t\":{{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":{offsets}}}}}", 8, fragment);

    [Fact]
    public void ByteCountDisagreesWithShapeAndDType() =>
        Fails("{\"t\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8, "data_offsets [0, 8] span 8 bytes but shape [3] of F32 needs 12");

    [Fact]
    public void OverlappingOffsets()
    {
        var ex = Fails("{\"a\":" + F32x2 + ",\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12, "overlap tensor 'a'");
        Assert.Equal("b", ex.TensorName);
    }

    [Fact]
    public void IdenticalOffsets_Overlap() =>
        Fails("{\"a\":" + F32x2 + ",\"b\":" + F32x2 + "}", 8, "overlap");

    [Fact]
    public void EmptyTensorInsideAnother_Overlaps() =>
        Fails("{\"a\":" + F32x2 + ",\"e\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[4,4]}}", 8, "overlap tensor 'a'");

    [Fact]
    public void HoleBetweenTensors() =>
        Fails("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}", 12, "bytes [4, 8) of the data buffer belong to no tensor");

    [Fact]
    public void HoleAtTheStart() =>
        Fails("{\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8, "bytes [0, 4) of the data buffer belong to no tensor");

    [Fact]
    public void TrailingBytesAfterTheLastTensor() =>
        Fails("{\"a\":" + F32x2 + "}", 11, "3 trailing bytes");

    [Fact]
    public void DataButNoTensors() => Fails("{}", 4, "4 trailing bytes");

    [Fact]
    public void DuplicateTensorNames()
    {
        var ex = Fails("{\"a\":" + F32x2 + ",\"a\":" + F32x2 + "}", 8, "appears more than once in the header");
        Assert.Equal("a", ex.TensorName);
    }

    [Theory]
    [InlineData("{\"__metadata__\":{\"k\":1}}", "Metadata value for key 'k' must be a string, found Number")]
    [InlineData("{\"__metadata__\":{\"k\":null}}", "Metadata value for key 'k' must be a string, found Null")]
    [InlineData("{\"__metadata__\":{\"k\":{\"x\":\"y\"}}}", "Metadata value for key 'k' must be a string, found Object")]
    [InlineData("{\"__metadata__\":[\"k\"]}", "'__metadata__' must be a JSON object of strings, found Array")]
    [InlineData("{\"__metadata__\":\"k\"}", "'__metadata__' must be a JSON object of strings, found String")]
    [InlineData("{\"__metadata__\":{\"k\":\"a\",\"k\":\"b\"}}", "Metadata key 'k' appears more than once")]
    [InlineData("{\"__metadata__\":{},\"__metadata__\":{}}", "more than one '__metadata__'")]
    public void BadMetadata(string header, string fragment) => Fails(header, 0, fragment);

    [Fact]
    public void NullMetadata_IsNoMetadata() =>
        Assert.Empty(SafetensorsFile.Read(SafetensorsTestFiles.Build("{\"__metadata__\":null}")).Metadata);

    [Fact]
    public void HugeNamesAndNumbers_GiveShortMessages()
    {
        string name = new('n', 100_000);
        string digits = new('9', 100_000);
        var ex = Fails($"{{\"{name}\":{{\"dtype\":\"F32\",\"shape\":[{digits}],\"data_offsets\":[0,0]}}}}", 0, "is too large");
        Assert.Equal(name, ex.TensorName);
        Assert.True(ex.Message.Length < 1000, $"message is {ex.Message.Length} characters");
    }

    [Fact]
    public void EveryTruncation_FailsCleanly()
    {
        var bytes = ValidFile();
        for (int length = 0; length < bytes.Length; length++)
        {
            Assert.Throws<SafetensorsFormatException>(() => SafetensorsFile.Read(bytes.AsMemory(0, length)));
        }
    }

    [Fact]
    public void RandomCorruption_EitherReadsOrFailsWithAFormatException()
    {
        var original = ValidFile();
        var random = new Random(7);
        for (int trial = 0; trial < 3000; trial++)
        {
            var bytes = (byte[])original.Clone();
            int flips = random.Next(1, 4);
            for (int f = 0; f < flips; f++)
            {
                int at = random.Next(0, Math.Min(bytes.Length, 8 + random.Next(0, 200)));
                bytes[at] = (byte)random.Next(0, 256);
            }

            try
            {
                var file = SafetensorsFile.Read(bytes);
                foreach (var entry in file.Entries)
                {
                    Assert.Equal(entry.ElementCount, entry.ToDoubleArray().Length);
                }
            }
            catch (SafetensorsFormatException)
            {
            }
        }
    }

    [Fact]
    public void ValidHeaderPaddedWithSpaces_AndUnsortedEntries_Reads()
    {
        var header = "{\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]},\"__metadata__\":{\"x\":\"y\"},\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
        var bytes = SafetensorsTestFiles.Build(Encoding.ASCII.GetBytes(header + "   "), 8);
        var file = SafetensorsFile.Read(bytes);
        Assert.Equal(["b", "a"], file.Entries.Select(e => e.Name));
        Assert.Equal("y", file.Metadata["x"]);
        Assert.Equal(BinaryPrimitives.ReadSingleLittleEndian(new byte[] { 0, 1, 2, 3 }), file["a"].ToSingleArray()[0]);
    }

    private static byte[] ValidFile() => SafetensorsFile.ToBytes(
        [
            SafetensorsEntry.Create("weight", new float[] { 1, 2, 3, 4, 5, 6 }, [2, 3]),
            SafetensorsEntry.Create("target", new long[] { 1, 0 }, [2]),
            SafetensorsEntry.Create("mask", new[] { true, false }, [2]),
        ],
        new Dictionary<string, string> { ["kind"] = "test" });
}
