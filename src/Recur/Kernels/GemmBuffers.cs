using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Recur.Kernels;

/// <summary>
/// Per-thread packing buffers for GEMM: pinned arrays that grow on demand and are then reused, so a warmed-up
/// thread packs without allocating. Returned pointers are 64-byte aligned.
/// </summary>
internal static unsafe class GemmBuffers
{
    [ThreadStatic]
    private static AlignedFloats? _packA;

    [ThreadStatic]
    private static AlignedFloats? _packB;

    /// <summary>Returns this thread's A panel buffer with room for <paramref name="length"/> floats.</summary>
    internal static float* PackA(int length) => Get(ref _packA, length);

    /// <summary>Returns this thread's B panel buffer with room for <paramref name="length"/> floats.</summary>
    internal static float* PackB(int length) => Get(ref _packB, length);

    private static float* Get(ref AlignedFloats? buffer, int length)
    {
        if (buffer is null || buffer.Length < length) buffer = new AlignedFloats(length);
        return (float*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(buffer.Span)); // pinned: the address stays
    }
}
