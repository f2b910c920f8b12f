using System.Buffers;
using Recur.IO;

namespace Recur.Tests.IO;

public class SafetensorsAtomicWriteTests
{
    private static readonly SafetensorsEntry Weights = SafetensorsEntry.Create("w", new float[] { 1, 2, 3, 4 }, [2, 2]);

    [Fact]
    public void Write_CreatesTheFile_AndLeavesNoTemporaryFile()
    {
        using var temp = new TempFolder();
        string path = temp.File("model.safetensors");
        var metadata = new Dictionary<string, string> { ["kind"] = "test" };

        SafetensorsFile.Write(path, [Weights], metadata);

        Assert.Equal(SafetensorsFile.ToBytes([Weights], metadata), File.ReadAllBytes(path));
        Assert.Equal(["model.safetensors"], temp.FileNames());
    }

    [Fact]
    public void Write_ReplacesAnExistingFile()
    {
        using var temp = new TempFolder();
        string path = temp.File("model.safetensors");
        File.WriteAllText(path, "old contents, not safetensors at all");

        SafetensorsFile.Write(path, [Weights]);

        Assert.Equal([1f, 2f, 3f, 4f], SafetensorsFile.Read(path)["w"].ToSingleArray());
        Assert.Equal(["model.safetensors"], temp.FileNames());
    }

    [Fact]
    public void FailureWhileWritingData_LeavesTheOldFileIntact_AndRemovesTheTemporaryFile()
    {
        using var temp = new TempFolder();
        string path = temp.File("model.safetensors");
        var old = SafetensorsFile.ToBytes([Weights]);
        File.WriteAllBytes(path, old);
        using var failing = new FailingMemory(16);
        var broken = SafetensorsEntry.FromBytes("z_broken", SafetensorsDType.UInt8, [16], failing.Memory);

        var ex = Assert.Throws<IOException>(() => SafetensorsFile.Write(path, [Weights, broken]));

        Assert.Contains("simulated", ex.Message);
        Assert.True(failing.WasRead, "the failure should happen while the data is being written");
        Assert.Equal(old, File.ReadAllBytes(path));
        Assert.Equal(["model.safetensors"], temp.FileNames());
    }

    [Fact]
    public void InvalidInput_CreatesNoFile()
    {
        using var temp = new TempFolder();
        string path = temp.File("model.safetensors");

        Assert.Throws<ArgumentException>(() => SafetensorsFile.Write(path, [Weights, Weights]));

        Assert.Empty(temp.FileNames());
    }

    [Fact]
    public void WriteToStream_MatchesToBytes()
    {
        using var stream = new MemoryStream();
        SafetensorsFile.Write(stream, [Weights]);
        Assert.Equal(SafetensorsFile.ToBytes([Weights]), stream.ToArray());
    }

    /// <summary>Memory whose bytes cannot be read: reading them throws, as a failing disk or source would.</summary>
    private sealed class FailingMemory(int length) : MemoryManager<byte>
    {
        public bool WasRead { get; private set; }

        public override Span<byte> GetSpan()
        {
            WasRead = true;
            throw new IOException("simulated failure while writing tensor data");
        }

        public override MemoryHandle Pin(int elementIndex = 0) => throw new NotSupportedException();

        public override void Unpin()
        {
        }

        public override Memory<byte> Memory => CreateMemory(length);

        protected override void Dispose(bool disposing)
        {
        }
    }
}
