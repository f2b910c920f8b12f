using System.Buffers.Binary;

namespace Recur.IO;

/// <summary>Conversions from the raw little-endian bytes to .NET arrays.</summary>
public sealed partial class SafetensorsEntry
{
    /// <summary>
    /// The values as float32. F32 is copied bit for bit; F16 and BF16 widen exactly; F64 rounds to nearest;
    /// integers convert to the nearest float (large 32/64-bit values may round); BOOL gives 0 or 1.
    /// </summary>
    /// <returns>A new array of <see cref="ElementCount"/> values.</returns>
    public float[] ToSingleArray()
    {
        var result = new float[ElementCount];
        CopyTo(result);
        return result;
    }

    /// <summary>Converts the values as <see cref="ToSingleArray"/> does, into an existing buffer.</summary>
    /// <param name="destination">Exactly <see cref="ElementCount"/> elements.</param>
    /// <exception cref="ArgumentException">The destination length differs from <see cref="ElementCount"/>.</exception>
    public void CopyTo(Span<float> destination)
    {
        CheckDestination(destination.Length);
        var src = Data.Span;
        switch (DType)
        {
            case SafetensorsDType.Float32:
                LittleEndian.CopyTo(src, destination);
                return;
            case SafetensorsDType.BFloat16:
                for (int i = 0; i < destination.Length; i++)
                {
                    destination[i] = BFloat16Bits.ToSingle(BinaryPrimitives.ReadUInt16LittleEndian(src[(2 * i)..]));
                }

                return;
            case SafetensorsDType.Float16:
                for (int i = 0; i < destination.Length; i++)
                {
                    destination[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(src[(2 * i)..]);
                }

                return;
            case SafetensorsDType.Int64:
                for (int i = 0; i < destination.Length; i++)
                {
                    destination[i] = BinaryPrimitives.ReadInt64LittleEndian(src[(8 * i)..]);
                }

                return;
            case SafetensorsDType.UInt64:
                for (int i = 0; i < destination.Length; i++)
                {
                    destination[i] = BinaryPrimitives.ReadUInt64LittleEndian(src[(8 * i)..]);
                }

                return;
            default:
                // F64 rounds once; the remaining integer types are exact in double, so this rounds once too.
                for (int i = 0; i < destination.Length; i++)
                {
                    destination[i] = (float)ReadAsDouble(i);
                }

                return;
        }
    }

    /// <summary>
    /// The values as float64. F64 is copied bit for bit; F32, F16 and BF16 widen exactly; integers convert to the
    /// nearest double (64-bit values beyond 2^53 may round); BOOL gives 0 or 1.
    /// </summary>
    /// <returns>A new array of <see cref="ElementCount"/> values.</returns>
    public double[] ToDoubleArray()
    {
        var result = new double[ElementCount];
        if (DType == SafetensorsDType.Float64)
        {
            LittleEndian.CopyTo(Data.Span, result.AsSpan());
            return result;
        }

        for (int i = 0; i < result.Length; i++)
        {
            result[i] = ReadAsDouble(i);
        }

        return result;
    }

    /// <summary>The values of an F16 tensor, bit for bit.</summary>
    /// <returns>A new array of <see cref="ElementCount"/> values.</returns>
    /// <exception cref="InvalidOperationException">The tensor is not F16.</exception>
    public Half[] ToHalfArray()
    {
        RequireDType(SafetensorsDType.Float16, "ToHalfArray");
        var result = new Half[ElementCount];
        LittleEndian.CopyTo(Data.Span, result.AsSpan());
        return result;
    }

    /// <summary>The raw 16-bit patterns of a BF16 tensor (the upper halves of the float32 values).</summary>
    /// <returns>A new array of <see cref="ElementCount"/> bit patterns.</returns>
    /// <exception cref="InvalidOperationException">The tensor is not BF16.</exception>
    public ushort[] ToBFloat16Bits()
    {
        RequireDType(SafetensorsDType.BFloat16, "ToBFloat16Bits");
        var result = new ushort[ElementCount];
        LittleEndian.CopyTo(Data.Span, result.AsSpan());
        return result;
    }

    /// <summary>The values of an integer or BOOL tensor as int64 (BOOL gives 0 or 1).</summary>
    /// <returns>A new array of <see cref="ElementCount"/> values.</returns>
    /// <exception cref="InvalidOperationException">The tensor holds floating-point values.</exception>
    /// <exception cref="OverflowException">A U64 value exceeds <see cref="long.MaxValue"/>.</exception>
    public long[] ToInt64Array()
    {
        RequireInteger("ToInt64Array");
        var result = new long[ElementCount];
        if (DType == SafetensorsDType.Int64)
        {
            LittleEndian.CopyTo(Data.Span, result.AsSpan());
            return result;
        }

        for (int i = 0; i < result.Length; i++)
        {
            result[i] = ReadAsInt64(i);
        }

        return result;
    }

    /// <summary>The values of an integer or BOOL tensor as int32 (BOOL gives 0 or 1).</summary>
    /// <returns>A new array of <see cref="ElementCount"/> values.</returns>
    /// <exception cref="InvalidOperationException">The tensor holds floating-point values.</exception>
    /// <exception cref="OverflowException">A value does not fit in int32; the message names the tensor and index.</exception>
    public int[] ToInt32Array()
    {
        RequireInteger("ToInt32Array");
        var result = new int[ElementCount];
        for (int i = 0; i < result.Length; i++)
        {
            long value = ReadAsInt64(i);
            if (value is < int.MinValue or > int.MaxValue)
            {
                throw new OverflowException($"Tensor '{Name}': element {i} = {value} does not fit in Int32.");
            }

            result[i] = (int)value;
        }

        return result;
    }

    /// <summary>The values of a BOOL tensor (any nonzero byte is <see langword="true"/>).</summary>
    /// <returns>A new array of <see cref="ElementCount"/> values.</returns>
    /// <exception cref="InvalidOperationException">The tensor is not BOOL.</exception>
    public bool[] ToBooleanArray()
    {
        RequireDType(SafetensorsDType.Bool, "ToBooleanArray");
        var src = Data.Span;
        var result = new bool[ElementCount];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = src[i] != 0;
        }

        return result;
    }

    private double ReadAsDouble(int index)
    {
        var src = Data.Span;
        return DType switch
        {
            SafetensorsDType.Float64 => BinaryPrimitives.ReadDoubleLittleEndian(src[(8 * index)..]),
            SafetensorsDType.Float32 => BinaryPrimitives.ReadSingleLittleEndian(src[(4 * index)..]),
            SafetensorsDType.Float16 => (double)BinaryPrimitives.ReadHalfLittleEndian(src[(2 * index)..]),
            SafetensorsDType.BFloat16 => BFloat16Bits.ToSingle(BinaryPrimitives.ReadUInt16LittleEndian(src[(2 * index)..])),
            SafetensorsDType.UInt64 => BinaryPrimitives.ReadUInt64LittleEndian(src[(8 * index)..]),
            _ => ReadAsInt64(index),
        };
    }

    /// <summary>Reads element <paramref name="index"/> of an integer or BOOL tensor.</summary>
    private long ReadAsInt64(int index)
    {
        var src = Data.Span;
        switch (DType)
        {
            case SafetensorsDType.Bool:
                return src[index] != 0 ? 1 : 0;
            case SafetensorsDType.UInt8:
                return src[index];
            case SafetensorsDType.Int8:
                return (sbyte)src[index];
            case SafetensorsDType.Int16:
                return BinaryPrimitives.ReadInt16LittleEndian(src[(2 * index)..]);
            case SafetensorsDType.UInt16:
                return BinaryPrimitives.ReadUInt16LittleEndian(src[(2 * index)..]);
            case SafetensorsDType.Int32:
                return BinaryPrimitives.ReadInt32LittleEndian(src[(4 * index)..]);
            case SafetensorsDType.UInt32:
                return BinaryPrimitives.ReadUInt32LittleEndian(src[(4 * index)..]);
            case SafetensorsDType.Int64:
                return BinaryPrimitives.ReadInt64LittleEndian(src[(8 * index)..]);
            case SafetensorsDType.UInt64:
                ulong value = BinaryPrimitives.ReadUInt64LittleEndian(src[(8 * index)..]);
                if (value > long.MaxValue)
                {
                    throw new OverflowException($"Tensor '{Name}': element {index} = {value} does not fit in Int64.");
                }

                return (long)value;
            default:
                throw new InvalidOperationException($"Tensor '{Name}': {DType.ToHeaderName()} is not an integer type.");
        }
    }

    private void CheckDestination(int length)
    {
        if (length != ElementCount)
        {
            throw new ArgumentException(
                $"Tensor '{Name}': destination holds {length} elements but the tensor has {ElementCount}.", "destination");
        }
    }

    private void RequireDType(SafetensorsDType expected, string method)
    {
        if (DType != expected)
        {
            throw new InvalidOperationException(
                $"Tensor '{Name}': {method} needs {expected.ToHeaderName()} data but the tensor is {DType.ToHeaderName()}.");
        }
    }

    private void RequireInteger(string method)
    {
        if (DType.IsFloatingPoint())
        {
            throw new InvalidOperationException(
                $"Tensor '{Name}': {method} needs integer or BOOL data but the tensor is {DType.ToHeaderName()}; use ToSingleArray or ToDoubleArray.");
        }
    }
}
