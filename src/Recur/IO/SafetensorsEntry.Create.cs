namespace Recur.IO;

/// <summary>Factories that copy typed values into a new entry.</summary>
public sealed partial class SafetensorsEntry
{
    /// <summary>Creates an <see cref="SafetensorsDType.Float32"/> entry (values copied bit for bit, NaN payloads kept).</summary>
    /// <param name="name">The tensor's name.</param>
    /// <param name="values">Row-major values, <c>product(shape)</c> of them.</param>
    /// <param name="shape">The dimensions; empty for a scalar.</param>
    /// <returns>The entry.</returns>
    public static SafetensorsEntry Create(string name, ReadOnlySpan<float> values, ReadOnlySpan<int> shape) =>
        CreateCopy(name, SafetensorsDType.Float32, values, shape);

    /// <summary>Creates a <see cref="SafetensorsDType.Float64"/> entry (values copied bit for bit).</summary>
    /// <param name="name">The tensor's name.</param>
    /// <param name="values">Row-major values, <c>product(shape)</c> of them.</param>
    /// <param name="shape">The dimensions; empty for a scalar.</param>
    /// <returns>The entry.</returns>
    public static SafetensorsEntry Create(string name, ReadOnlySpan<double> values, ReadOnlySpan<int> shape) =>
        CreateCopy(name, SafetensorsDType.Float64, values, shape);

    /// <summary>Creates a <see cref="SafetensorsDType.Float16"/> entry (values copied bit for bit).</summary>
    /// <param name="name">The tensor's name.</param>
    /// <param name="values">Row-major values, <c>product(shape)</c> of them.</param>
    /// <param name="shape">The dimensions; empty for a scalar.</param>
    /// <returns>The entry.</returns>
    public static SafetensorsEntry Create(string name, ReadOnlySpan<Half> values, ReadOnlySpan<int> shape) =>
        CreateCopy(name, SafetensorsDType.Float16, values, shape);

    /// <summary>Creates an <see cref="SafetensorsDType.Int64"/> entry.</summary>
    /// <param name="name">The tensor's name.</param>
    /// <param name="values">Row-major values, <c>product(shape)</c> of them.</param>
    /// <param name="shape">The dimensions; empty for a scalar.</param>
    /// <returns>The entry.</returns>
    public static SafetensorsEntry Create(string name, ReadOnlySpan<long> values, ReadOnlySpan<int> shape) =>
        CreateCopy(name, SafetensorsDType.Int64, values, shape);

    /// <summary>Creates an <see cref="SafetensorsDType.Int32"/> entry.</summary>
    /// <param name="name">The tensor's name.</param>
    /// <param name="values">Row-major values, <c>product(shape)</c> of them.</param>
    /// <param name="shape">The dimensions; empty for a scalar.</param>
    /// <returns>The entry.</returns>
    public static SafetensorsEntry Create(string name, ReadOnlySpan<int> values, ReadOnlySpan<int> shape) =>
        CreateCopy(name, SafetensorsDType.Int32, values, shape);

    /// <summary>Creates an <see cref="SafetensorsDType.Int16"/> entry.</summary>
    /// <param name="name">The tensor's name.</param>
    /// <param name="values">Row-major values, <c>product(shape)</c> of them.</param>
    /// <param name="shape">The dimensions; empty for a scalar.</param>
    /// <returns>The entry.</returns>
    public static SafetensorsEntry Create(string name, ReadOnlySpan<short> values, ReadOnlySpan<int> shape) =>
        CreateCopy(name, SafetensorsDType.Int16, values, shape);

    /// <summary>Creates an <see cref="SafetensorsDType.Int8"/> entry.</summary>
    /// <param name="name">The tensor's name.</param>
    /// <param name="values">Row-major values, <c>product(shape)</c> of them.</param>
    /// <param name="shape">The dimensions; empty for a scalar.</param>
    /// <returns>The entry.</returns>
    public static SafetensorsEntry Create(string name, ReadOnlySpan<sbyte> values, ReadOnlySpan<int> shape) =>
        CreateCopy(name, SafetensorsDType.Int8, values, shape);

    /// <summary>Creates a <see cref="SafetensorsDType.UInt8"/> entry.</summary>
    /// <param name="name">The tensor's name.</param>
    /// <param name="values">Row-major values, <c>product(shape)</c> of them.</param>
    /// <param name="shape">The dimensions; empty for a scalar.</param>
    /// <returns>The entry.</returns>
    public static SafetensorsEntry Create(string name, ReadOnlySpan<byte> values, ReadOnlySpan<int> shape) =>
        CreateCopy(name, SafetensorsDType.UInt8, values, shape);

    /// <summary>Creates a <see cref="SafetensorsDType.UInt16"/> entry.</summary>
    /// <param name="name">The tensor's name.</param>
    /// <param name="values">Row-major values, <c>product(shape)</c> of them.</param>
    /// <param name="shape">The dimensions; empty for a scalar.</param>
    /// <returns>The entry.</returns>
    public static SafetensorsEntry Create(string name, ReadOnlySpan<ushort> values, ReadOnlySpan<int> shape) =>
        CreateCopy(name, SafetensorsDType.UInt16, values, shape);

    /// <summary>Creates a <see cref="SafetensorsDType.UInt32"/> entry.</summary>
    /// <param name="name">The tensor's name.</param>
    /// <param name="values">Row-major values, <c>product(shape)</c> of them.</param>
    /// <param name="shape">The dimensions; empty for a scalar.</param>
    /// <returns>The entry.</returns>
    public static SafetensorsEntry Create(string name, ReadOnlySpan<uint> values, ReadOnlySpan<int> shape) =>
        CreateCopy(name, SafetensorsDType.UInt32, values, shape);

    /// <summary>Creates a <see cref="SafetensorsDType.UInt64"/> entry.</summary>
    /// <param name="name">The tensor's name.</param>
    /// <param name="values">Row-major values, <c>product(shape)</c> of them.</param>
    /// <param name="shape">The dimensions; empty for a scalar.</param>
    /// <returns>The entry.</returns>
    public static SafetensorsEntry Create(string name, ReadOnlySpan<ulong> values, ReadOnlySpan<int> shape) =>
        CreateCopy(name, SafetensorsDType.UInt64, values, shape);

    /// <summary>Creates a <see cref="SafetensorsDType.Bool"/> entry, one byte per value (1 = true, 0 = false).</summary>
    /// <param name="name">The tensor's name.</param>
    /// <param name="values">Row-major values, <c>product(shape)</c> of them.</param>
    /// <param name="shape">The dimensions; empty for a scalar.</param>
    /// <returns>The entry.</returns>
    public static SafetensorsEntry Create(string name, ReadOnlySpan<bool> values, ReadOnlySpan<int> shape)
    {
        var (dims, count) = CheckShape(name, SafetensorsDType.Bool, shape);
        CheckValueCount(name, values.Length, count, dims);
        var bytes = new byte[count];
        for (int i = 0; i < bytes.Length; i++)
        {
            bytes[i] = values[i] ? (byte)1 : (byte)0;
        }

        return new SafetensorsEntry(name, SafetensorsDType.Bool, dims, count, bytes);
    }

    /// <summary>
    /// Creates a <see cref="SafetensorsDType.Float16"/> entry by rounding each float32 to the nearest binary16,
    /// ties to even (overflow gives infinity, tiny values become subnormal or zero).
    /// </summary>
    /// <param name="name">The tensor's name.</param>
    /// <param name="values">Row-major values, <c>product(shape)</c> of them.</param>
    /// <param name="shape">The dimensions; empty for a scalar.</param>
    /// <returns>The entry.</returns>
    public static SafetensorsEntry CreateFloat16(string name, ReadOnlySpan<float> values, ReadOnlySpan<int> shape)
    {
        var (dims, count) = CheckShape(name, SafetensorsDType.Float16, shape);
        CheckValueCount(name, values.Length, count, dims);
        var halves = new Half[count];
        for (int i = 0; i < halves.Length; i++)
        {
            halves[i] = (Half)values[i];
        }

        return new SafetensorsEntry(name, SafetensorsDType.Float16, dims, count, LittleEndian.ToBytes<Half>(halves));
    }

    /// <summary>
    /// Creates a <see cref="SafetensorsDType.BFloat16"/> entry by rounding each float32 to bfloat16, to nearest with
    /// ties to even, exactly as PyTorch: <c>bf16 = (bits + 0x7FFF + ((bits &gt;&gt; 16) &amp; 1)) &gt;&gt; 16</c>;
    /// every NaN becomes the quiet NaN <c>0x7FC0</c>.
    /// </summary>
    /// <param name="name">The tensor's name.</param>
    /// <param name="values">Row-major values, <c>product(shape)</c> of them.</param>
    /// <param name="shape">The dimensions; empty for a scalar.</param>
    /// <returns>The entry.</returns>
    public static SafetensorsEntry CreateBFloat16(string name, ReadOnlySpan<float> values, ReadOnlySpan<int> shape)
    {
        var (dims, count) = CheckShape(name, SafetensorsDType.BFloat16, shape);
        CheckValueCount(name, values.Length, count, dims);
        var bits = new ushort[count];
        for (int i = 0; i < bits.Length; i++)
        {
            bits[i] = BFloat16Bits.FromSingle(values[i]);
        }

        return new SafetensorsEntry(name, SafetensorsDType.BFloat16, dims, count, LittleEndian.ToBytes<ushort>(bits));
    }

    private static SafetensorsEntry CreateCopy<T>(string name, SafetensorsDType dtype, ReadOnlySpan<T> values, ReadOnlySpan<int> shape)
        where T : unmanaged
    {
        var (dims, count) = CheckShape(name, dtype, shape);
        CheckValueCount(name, values.Length, count, dims);
        return new SafetensorsEntry(name, dtype, dims, count, LittleEndian.ToBytes(values));
    }

    private static void CheckValueCount(string name, int valueCount, int elementCount, int[] shape)
    {
        if (valueCount != elementCount)
        {
            throw new ArgumentException(
                $"Tensor '{name}': {valueCount} values given but shape {FormatShape(shape)} holds {elementCount}.",
                "values");
        }
    }
}
