using System.Buffers.Binary;
using System.Text;

namespace Recur.Tests.IO;

/// <summary>Builds raw safetensors bytes by hand, for hostile-input and layout tests.</summary>
internal static class SafetensorsTestFiles
{
    /// <summary>
    /// Prefix + <paramref name="headerJson"/> (UTF-8, space-padded to a multiple of 8) + <paramref name="dataLength"/>
    /// bytes of data (0, 1, 2, ...).
    /// </summary>
    public static byte[] Build(string headerJson, int dataLength = 0) => Build(Encoding.UTF8.GetBytes(headerJson), dataLength);

    public static byte[] Build(byte[] header, int dataLength = 0, ulong? declaredLength = null)
    {
        int padding = (8 - header.Length % 8) % 8;
        var bytes = new byte[8 + header.Length + padding + dataLength];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, declaredLength ?? (ulong)(header.Length + padding));
        header.CopyTo(bytes, 8);
        bytes.AsSpan(8 + header.Length, padding).Fill((byte)' ');
        for (int i = 0; i < dataLength; i++)
        {
            bytes[8 + header.Length + padding + i] = (byte)i;
        }

        return bytes;
    }

    /// <summary>The header of a file as a string (without padding).</summary>
    public static string HeaderText(byte[] file)
    {
        int n = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(file));
        return Encoding.UTF8.GetString(file, 8, n).TrimEnd(' ');
    }
}

/// <summary>A fresh temporary folder, deleted on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "recur-io-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public string[] FileNames() =>
        Directory.GetFiles(Path).Select(System.IO.Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
