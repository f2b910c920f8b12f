using System.Globalization;
using System.Text;

namespace Recur;

/// <summary>
/// A float32 tensor: a shape and contiguous row-major storage. A tensor may be a view into a larger
/// storage along its leading dimension (<see cref="this[int]"/>, <see cref="Narrow"/>); views share memory.
/// </summary>
public sealed class Tensor
{
    private readonly float[] _storage;
    private readonly int _offset;
    private readonly int[] _shape;

    /// <summary>Creates a zero-filled tensor of the given shape.</summary>
    public Tensor(params int[] shape)
    {
        _shape = CheckShape(shape);
        _storage = Allocate(ElementCount(_shape), clear: true);
        _offset = 0;
        Length = _storage.Length;
    }

    private Tensor(float[] storage, int offset, int[] shape)
    {
        _storage = storage;
        _offset = offset;
        _shape = shape;
        Length = ElementCount(shape);
    }

    /// <summary>
    /// Storage for <paramref name="length"/> floats. Arrays the runtime would put on the large object heap go to the
    /// pinned object heap instead: both are non-compacting, but on Linux the large object heap hands freed regions back
    /// to the OS, so every big tensor of every step faulted its pages in again (measured: a third of the page faults
    /// of an LSTM forward at B64 T100 H512, and a page fault costs microseconds in a virtual machine).
    /// </summary>
    internal static float[] Allocate(int length, bool clear)
    {
        if (length < LargeLength) return new float[length];
        return clear ? GC.AllocateArray<float>(length, pinned: true) : GC.AllocateUninitializedArray<float>(length, pinned: true);
    }

    // 85,000 bytes: the runtime's large object threshold.
    internal const int LargeLength = 85_000 / sizeof(float);

    /// <summary>
    /// A new tensor of the rows <paramref name="rows"/> of this one along dimension 0 ([N, ...] -> [rows.Length, ...]),
    /// in that order, repeats allowed.
    /// </summary>
    internal Tensor GatherRows(int[] rows)
    {
        if (Rank < 1) throw new InvalidOperationException("Gathering rows needs a tensor of rank 1 or more.");
        int n = _shape[0], width = n == 0 ? 0 : Length / n;
        var shape = (int[])_shape.Clone();
        shape[0] = rows.Length;
        var result = new Tensor(shape);
        var src = Span;
        var dst = result.Span;
        for (int i = 0; i < rows.Length; i++)
        {
            if ((uint)rows[i] >= (uint)n) throw new ArgumentOutOfRangeException(nameof(rows), $"Row {rows[i]} is outside 0..{n - 1}.");
            src.Slice(rows[i] * width, width).CopyTo(dst.Slice(i * width, width));
        }
        return result;
    }

    /// <summary>Wraps <paramref name="data"/> (not copied) as a tensor of the given shape.</summary>
    public static Tensor FromArray(float[] data, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        int[] s = CheckShape(shape);
        int n = ElementCount(s);
        if (n != data.Length)
            throw new ArgumentException($"Shape {FormatShape(s)} needs {n} elements but the array has {data.Length}.", nameof(data));
        return new Tensor(data, 0, s);
    }

    /// <summary>Wraps a segment of <paramref name="storage"/> starting at <paramref name="offset"/> (not copied).</summary>
    public static Tensor FromStorage(float[] storage, int offset, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(storage);
        int[] s = CheckShape(shape);
        int n = ElementCount(s);
        if (offset < 0 || offset > storage.Length - n)
            throw new ArgumentException($"A view of shape {FormatShape(s)} at offset {offset} does not fit in storage of length {storage.Length}.", nameof(offset));
        return new Tensor(storage, offset, s);
    }

    /// <summary>A tensor of zeros.</summary>
    public static Tensor Zeros(params int[] shape) => new(shape);

    /// <summary>A tensor filled with <paramref name="value"/>.</summary>
    public static Tensor Full(float value, params int[] shape)
    {
        var t = new Tensor(shape);
        t.Fill(value);
        return t;
    }

    /// <summary>A tensor of ones.</summary>
    public static Tensor Ones(params int[] shape) => Full(1f, shape);

    /// <summary>A scalar tensor (shape []).</summary>
    public static Tensor Scalar(float value) => FromArray([value]);

    /// <summary>The dimensions, outermost first.</summary>
    public ReadOnlySpan<int> Shape => _shape;

    /// <summary>A copy of the dimensions.</summary>
    public int[] ShapeArray => (int[])_shape.Clone();

    /// <summary>Number of dimensions.</summary>
    public int Rank => _shape.Length;

    /// <summary>Number of elements.</summary>
    public int Length { get; }

    /// <summary>Size of dimension <paramref name="dim"/>; negative values count from the end.</summary>
    public int Size(int dim) => _shape[NormalizeDim(dim, Rank)];

    /// <summary>The elements, row-major.</summary>
    public Span<float> Span => _storage.AsSpan(_offset, Length);

    /// <summary>The underlying storage array (shared with views).</summary>
    public float[] Storage => _storage;

    /// <summary>Start of this tensor's elements in <see cref="Storage"/>.</summary>
    public int Offset => _offset;

    /// <summary>Element at a full multi-index.</summary>
    public float this[params int[] index]
    {
        get => _storage[_offset + FlatIndex(index)];
        set => _storage[_offset + FlatIndex(index)] = value;
    }

    /// <summary>A view of entry <paramref name="i"/> along the leading dimension (shape without it).</summary>
    public Tensor this[int i]
    {
        get
        {
            if (Rank == 0) throw new ArgumentException("Cannot index a scalar tensor.");
            if ((uint)i >= (uint)_shape[0])
                throw new ArgumentOutOfRangeException(nameof(i), $"Index {i} is outside dimension 0 of size {_shape[0]}.");
            int[] inner = _shape[1..];
            int stride = ElementCount(inner);
            return new Tensor(_storage, _offset + i * stride, inner);
        }
    }

    /// <summary>A view of rows <paramref name="start"/> .. start+length-1 along the leading dimension.</summary>
    public Tensor Narrow(int start, int length)
    {
        if (Rank == 0) throw new ArgumentException("Cannot narrow a scalar tensor.");
        if (start < 0 || length < 0 || start > _shape[0] - length)
            throw new ArgumentOutOfRangeException(nameof(start), $"Rows [{start}, {start + length}) are outside dimension 0 of size {_shape[0]}.");
        int[] s = (int[])_shape.Clone();
        s[0] = length;
        int stride = _shape[0] == 0 ? 0 : Length / _shape[0];
        return new Tensor(_storage, _offset + start * stride, s);
    }

    /// <summary>A view with a new shape and the same elements; one dimension may be -1 (inferred).</summary>
    public Tensor Reshape(params int[] shape) => new(_storage, _offset, ResolveShape(shape, Length));

    /// <summary>A deep copy with its own storage.</summary>
    public Tensor Clone()
    {
        var t = new Tensor(_shape);
        Span.CopyTo(t.Span);
        return t;
    }

    /// <summary>Copies the elements of <paramref name="source"/> (same element count) into this tensor.</summary>
    public void CopyFrom(Tensor source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (!SameShape(source))
            throw new ArgumentException($"Expected shape {FormatShape(_shape)} but got {FormatShape(source._shape)}.", nameof(source));
        source.Span.CopyTo(Span);
    }

    /// <summary>Sets every element to <paramref name="value"/>.</summary>
    public void Fill(float value) => Span.Fill(value);

    /// <summary>Sets every element to zero.</summary>
    public void Clear() => Span.Clear();

    /// <summary>A copy of the elements as a new array.</summary>
    public float[] ToArray() => Span.ToArray();

    /// <summary>The value of a one-element tensor.</summary>
    public float ToScalar()
    {
        if (Length != 1) throw new InvalidOperationException($"ToScalar() needs a one-element tensor but the shape is {FormatShape(_shape)}.");
        return _storage[_offset];
    }

    /// <summary>True when both tensors have the same dimensions.</summary>
    public bool SameShape(Tensor other) => _shape.AsSpan().SequenceEqual(other._shape);

    /// <summary>True when the shape equals <paramref name="shape"/>.</summary>
    public bool HasShape(params int[] shape) => _shape.AsSpan().SequenceEqual(shape);

    /// <summary>Formats a shape as <c>[2, 3]</c>.</summary>
    public static string FormatShape(ReadOnlySpan<int> shape)
    {
        var sb = new StringBuilder("[");
        for (int i = 0; i < shape.Length; i++)
        {
            if (i > 0) sb.Append(", ");
            sb.Append(shape[i].ToString(CultureInfo.InvariantCulture));
        }
        return sb.Append(']').ToString();
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        var sb = new StringBuilder("Tensor").Append(FormatShape(_shape)).Append(" {");
        var s = Span;
        int shown = Math.Min(s.Length, 8);
        for (int i = 0; i < shown; i++)
        {
            if (i > 0) sb.Append(", ");
            sb.Append(s[i].ToString("G6", CultureInfo.InvariantCulture));
        }
        if (s.Length > shown) sb.Append(", ...");
        return sb.Append('}').ToString();
    }

    internal static int NormalizeDim(int dim, int rank)
    {
        int d = dim < 0 ? dim + rank : dim;
        if ((uint)d >= (uint)rank)
            throw new ArgumentOutOfRangeException(nameof(dim), $"Dimension {dim} is out of range for a tensor of rank {rank}.");
        return d;
    }

    internal static int ElementCount(ReadOnlySpan<int> shape)
    {
        long n = 1;
        foreach (int d in shape)
        {
            n *= d;
            if (n > Array.MaxLength)
                throw new ArgumentException($"Shape {FormatShape(shape)} has more than {Array.MaxLength} elements.");
        }
        return (int)n;
    }

    private static int[] CheckShape(int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        foreach (int d in shape)
            if (d < 0) throw new ArgumentException($"Shape {FormatShape(shape)} has a negative dimension.", nameof(shape));
        ElementCount(shape);
        return (int[])shape.Clone();
    }

    internal static int[] ResolveShape(int[] shape, int length)
    {
        ArgumentNullException.ThrowIfNull(shape);
        int[] s = (int[])shape.Clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] == -1)
            {
                if (infer >= 0) throw new ArgumentException($"Shape {FormatShape(shape)} has more than one -1.", nameof(shape));
                infer = i;
            }
            else if (s[i] < 0) throw new ArgumentException($"Shape {FormatShape(shape)} has a negative dimension.", nameof(shape));
            else known *= s[i];
        }
        if (infer >= 0)
        {
            if (known == 0 || length % known != 0)
                throw new ArgumentException($"Cannot reshape {length} elements into {FormatShape(shape)}.", nameof(shape));
            s[infer] = (int)(length / known);
            known *= s[infer];
        }
        if (known != length)
            throw new ArgumentException($"Cannot reshape {length} elements into {FormatShape(shape)}.", nameof(shape));
        return s;
    }

    private int FlatIndex(int[] index)
    {
        if (index.Length != Rank)
            throw new ArgumentException($"Expected {Rank} indices but got {index.Length}.", nameof(index));
        int flat = 0;
        for (int d = 0; d < index.Length; d++)
        {
            if ((uint)index[d] >= (uint)_shape[d])
                throw new ArgumentOutOfRangeException(nameof(index), $"Index {index[d]} is outside dimension {d} of size {_shape[d]}.");
            flat = flat * _shape[d] + index[d];
        }
        return flat;
    }
}
