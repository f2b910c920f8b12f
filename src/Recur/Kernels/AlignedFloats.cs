using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Recur.Kernels;

/// <summary>A pinned float buffer whose <see cref="Span"/> starts on a 64-byte boundary (one cache line).</summary>
internal sealed unsafe class AlignedFloats
{
    private const int AlignBytes = 64;
    private readonly float[] _array;
    private readonly int _offset;

    /// <summary>Allocates room for <paramref name="length"/> floats (not cleared).</summary>
    public AlignedFloats(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        _array = GC.AllocateUninitializedArray<float>(length + (AlignBytes / sizeof(float)), pinned: true);
        nint start = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_array));
        _offset = (int)((AlignBytes - (start & (AlignBytes - 1))) & (AlignBytes - 1)) / sizeof(float);
        Length = length;
    }

    /// <summary>Floats in <see cref="Span"/>.</summary>
    public int Length { get; }

    /// <summary>The buffer, from its aligned start.</summary>

    public Span<float> Span => _array.AsSpan(_offset, Length);
}
