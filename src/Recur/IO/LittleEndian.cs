using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Recur.IO;

/// <summary>
/// Moves typed elements to and from the little-endian byte order of the file. On little-endian machines
/// (all that .NET ships for today) these are plain copies; elsewhere each element is byte-swapped.
/// </summary>
internal static class LittleEndian
{
    /// <summary>Copies <paramref name="values"/> into a new little-endian byte array.</summary>
    public static byte[] ToBytes<T>(ReadOnlySpan<T> values)
        where T : unmanaged
    {
        var bytes = new byte[checked(values.Length * Unsafe.SizeOf<T>())];
        MemoryMarshal.AsBytes(values).CopyTo(bytes);
        SwapIfBigEndian(bytes, Unsafe.SizeOf<T>());
        return bytes;
    }

    /// <summary>Copies little-endian <paramref name="bytes"/> into <paramref name="destination"/> (same byte length).</summary>
    public static void CopyTo<T>(ReadOnlySpan<byte> bytes, Span<T> destination)
        where T : unmanaged
    {
        var target = MemoryMarshal.AsBytes(destination);
        bytes.CopyTo(target);
        SwapIfBigEndian(target, Unsafe.SizeOf<T>());
    }

    private static void SwapIfBigEndian(Span<byte> bytes, int elementSize)
    {
        if (BitConverter.IsLittleEndian)
        {
            return;
        }

        switch (elementSize)
        {
            case 2:
                var u16 = MemoryMarshal.Cast<byte, ushort>(bytes);
                BinaryPrimitives.ReverseEndianness(u16, u16);
                break;
            case 4:
                var u32 = MemoryMarshal.Cast<byte, uint>(bytes);
                BinaryPrimitives.ReverseEndianness(u32, u32);
                break;
            case 8:
                var u64 = MemoryMarshal.Cast<byte, ulong>(bytes);
                BinaryPrimitives.ReverseEndianness(u64, u64);
                break;
        }
    }
}
