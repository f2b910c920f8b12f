using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Recur.Kernels;

/// <summary>
/// Per-thread packing buffers for GEMM: pinned arrays that grow on demand and are then reused, so a warmed-up
/// thread packs without allocating. Returned pointers are 64-byte aligned.
/// </summary>
internal static unsafe class GemmBuffers
{
    private const int AlignFloats = 16;

    [ThreadStatic]
    private static float[]? _packA;

    [ThreadStatic]
    private static float[]? _packB;

    /// <summary>Returns this thread's A panel buffer with room for <paramref name="length"/> floats.</summary>
    internal static float* PackA(int length) => Get(ref _packA, length);

    /// <summary>Returns this thread's B panel buffer with room for <paramref name="length"/> floats.</summary>
    internal static float* PackB(int length) => Get(ref _packB, length);

    private static float* Get(ref float[]? buffer, int length)
    {
        if (buffer is null || buffer.Length < length + AlignFloats)
        {
            buffer = GC.AllocateUninitializedArray<float>(length + AlignFloats, pinned: true);
        }

        nint start = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer));
        return (float*)((start + (AlignFloats * sizeof(float)) - 1) & ~(nint)((AlignFloats * sizeof(float)) - 1));
    }
}
