using System.Collections.ObjectModel;

namespace Recur.IO;

/// <summary>
/// One named tensor of a safetensors file as raw data: element type, shape (row-major, C order) and the
/// little-endian bytes. Immutable; independent of any tensor type. Build one with the <c>Create</c> factories
/// or <see cref="FromBytes"/>, read one with <c>SafetensorsFile.Read</c>, and convert its values with
/// <see cref="ToSingleArray"/> and its siblings.
/// </summary>
public sealed partial class SafetensorsEntry
{
    private readonly int[] _shape;

    private SafetensorsEntry(string name, SafetensorsDType dtype, int[] shape, int elementCount, ReadOnlyMemory<byte> data)
    {
        Name = name;
        DType = dtype;
        _shape = shape;
        Shape = Array.AsReadOnly(shape);
        ElementCount = elementCount;
        Data = data;
    }

    /// <summary>The tensor's name, the key in the file header (for example <c>rnn.weight_ih_l0</c>).</summary>
    public string Name { get; }

    /// <summary>The element type.</summary>
    public SafetensorsDType DType { get; }

    /// <summary>The dimensions, outermost first. Empty for a scalar; a 0 dimension means no elements.</summary>
    public ReadOnlyCollection<int> Shape { get; }

    /// <summary>The number of dimensions: <c>Shape.Count</c>.</summary>
    public int Rank => _shape.Length;

    /// <summary>The number of elements: the product of <see cref="Shape"/> (1 for a scalar).</summary>
    public int ElementCount { get; }

    /// <summary>
    /// The raw little-endian bytes, <c>ElementCount * DType.ElementSize()</c> long. For an entry read from a file
    /// this is a slice of the file's buffer, not a copy.
    /// </summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>A copy of the shape as a new array.</summary>
    /// <returns>The dimensions, outermost first.</returns>
    public int[] GetShapeArray() => (int[])_shape.Clone();

    /// <summary>
    /// Creates an entry over existing little-endian bytes without copying them. The caller must not change the
    /// bytes afterwards.
    /// </summary>
    /// <param name="name">The tensor's name.</param>
    /// <param name="dtype">The element type.</param>
    /// <param name="shape">The dimensions, each zero or positive.</param>
    /// <param name="data">Exactly <c>product(shape) * dtype.ElementSize()</c> bytes.</param>
    /// <returns>The entry.</returns>
    /// <exception cref="ArgumentException">The byte count does not match the shape and dtype.</exception>
    public static SafetensorsEntry FromBytes(string name, SafetensorsDType dtype, ReadOnlySpan<int> shape, ReadOnlyMemory<byte> data)
    {
        var (dims, count) = CheckShape(name, dtype, shape);
        long expected = (long)count * dtype.ElementSize();
        if (data.Length != expected)
        {
            throw new ArgumentException(
                $"Tensor '{name}': {data.Length} bytes given but shape {FormatShape(dims)} of {dtype.ToHeaderName()} needs {expected}.",
                nameof(data));
        }

        return new SafetensorsEntry(name, dtype, dims, count, data);
    }

    /// <summary>The same tensor data under another name (no copy).</summary>
    /// <param name="name">The new name.</param>
    /// <returns>A new entry sharing <see cref="Data"/>.</returns>
    public SafetensorsEntry WithName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return new SafetensorsEntry(name, DType, _shape, ElementCount, Data);
    }

    /// <summary>Describes the entry, for example <c>input F32 [5, 3, 4]</c>.</summary>
    /// <returns>Name, dtype and shape.</returns>
    public override string ToString() => $"{Name} {DType.ToHeaderName()} {FormatShape(_shape)}";

    /// <summary>Creates an entry from fields the reader has already validated.</summary>
    internal static SafetensorsEntry FromValidated(string name, SafetensorsDType dtype, int[] shape, int elementCount, ReadOnlyMemory<byte> data) =>
        new(name, dtype, shape, elementCount, data);

    /// <summary>Formats a shape as <c>[5, 3, 4]</c>, eliding the middle of very long shapes.</summary>
    internal static string FormatShape(ReadOnlySpan<int> shape)
    {
        const int MaxShown = 16;
        if (shape.Length <= MaxShown)
        {
            return "[" + string.Join(", ", shape.ToArray()) + "]";
        }

        return "[" + string.Join(", ", shape[..8].ToArray()) + ", ... (" + shape.Length + " dims) ..., " +
            string.Join(", ", shape[^4..].ToArray()) + "]";
    }

    /// <summary>Checks a caller-supplied shape and returns a private copy and the element count.</summary>
    private static (int[] Shape, int Count) CheckShape(string name, SafetensorsDType dtype, ReadOnlySpan<int> shape)
    {
        ArgumentNullException.ThrowIfNull(name);
        _ = dtype.ElementSize();
        long count = 1;
        foreach (int dim in shape)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(dim, nameof(shape));
            count *= dim;
            if (count > Array.MaxLength)
            {
                throw new ArgumentException($"Tensor '{name}': shape {FormatShape(shape)} has more elements than an array can hold.", nameof(shape));
            }
        }

        return (shape.ToArray(), (int)count);
    }
}
