namespace Recur.IO;

/// <summary>
/// Element types of a safetensors tensor. All multi-byte types are little-endian in the file.
/// </summary>
/// <remarks>
/// Members are declared in the reference library's order (increasing alignment, then its own tie order):
/// the writer sorts entries by descending enum value, then by name, exactly as the reference does.
/// Do not reorder.
/// </remarks>
public enum SafetensorsDType
{
    /// <summary>Boolean, one byte per element (0 = false, anything else = true).</summary>
    Bool,

    /// <summary>Unsigned 8-bit integer.</summary>
    UInt8,

    /// <summary>Signed 8-bit integer.</summary>
    Int8,

    /// <summary>Signed 16-bit integer.</summary>
    Int16,

    /// <summary>Unsigned 16-bit integer.</summary>
    UInt16,

    /// <summary>IEEE 754 binary16 (half precision).</summary>
    Float16,

    /// <summary>bfloat16: the upper 16 bits of an IEEE 754 binary32.</summary>
    BFloat16,

    /// <summary>Signed 32-bit integer.</summary>
    Int32,

    /// <summary>Unsigned 32-bit integer.</summary>
    UInt32,

    /// <summary>IEEE 754 binary32.</summary>
    Float32,

    /// <summary>IEEE 754 binary64.</summary>
    Float64,

    /// <summary>Signed 64-bit integer.</summary>
    Int64,

    /// <summary>Unsigned 64-bit integer.</summary>
    UInt64,
}

/// <summary>Facts about <see cref="SafetensorsDType"/> values: element size and header names.</summary>
public static class SafetensorsDTypeExtensions
{
    /// <summary>Size in bytes of one element of <paramref name="dtype"/>.</summary>
    /// <param name="dtype">The element type.</param>
    /// <returns>1, 2, 4 or 8.</returns>
    public static int ElementSize(this SafetensorsDType dtype) => dtype switch
    {
        SafetensorsDType.Bool or SafetensorsDType.UInt8 or SafetensorsDType.Int8 => 1,
        SafetensorsDType.Int16 or SafetensorsDType.UInt16 or SafetensorsDType.Float16 or SafetensorsDType.BFloat16 => 2,
        SafetensorsDType.Int32 or SafetensorsDType.UInt32 or SafetensorsDType.Float32 => 4,
        SafetensorsDType.Float64 or SafetensorsDType.Int64 or SafetensorsDType.UInt64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown safetensors dtype."),
    };

    /// <summary>The name used in the safetensors header, such as <c>"F32"</c> or <c>"BF16"</c>.</summary>
    /// <param name="dtype">The element type.</param>
    /// <returns>The header name.</returns>
    public static string ToHeaderName(this SafetensorsDType dtype) => dtype switch
    {
        SafetensorsDType.Bool => "BOOL",
        SafetensorsDType.UInt8 => "U8",
        SafetensorsDType.Int8 => "I8",
        SafetensorsDType.Int16 => "I16",
        SafetensorsDType.UInt16 => "U16",
        SafetensorsDType.Float16 => "F16",
        SafetensorsDType.BFloat16 => "BF16",
        SafetensorsDType.Int32 => "I32",
        SafetensorsDType.UInt32 => "U32",
        SafetensorsDType.Float32 => "F32",
        SafetensorsDType.Float64 => "F64",
        SafetensorsDType.Int64 => "I64",
        SafetensorsDType.UInt64 => "U64",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown safetensors dtype."),
    };

    /// <summary>Parses a header dtype name (case-sensitive, as the format requires).</summary>
    /// <param name="name">A header name such as <c>"F32"</c>.</param>
    /// <param name="dtype">The parsed element type when the name is supported.</param>
    /// <returns><see langword="true"/> when <paramref name="name"/> is a supported dtype.</returns>
    public static bool TryParseHeaderName(string name, out SafetensorsDType dtype)
    {
        switch (name)
        {
            case "BOOL": dtype = SafetensorsDType.Bool; return true;
            case "U8": dtype = SafetensorsDType.UInt8; return true;
            case "I8": dtype = SafetensorsDType.Int8; return true;
            case "I16": dtype = SafetensorsDType.Int16; return true;
            case "U16": dtype = SafetensorsDType.UInt16; return true;
            case "F16": dtype = SafetensorsDType.Float16; return true;
            case "BF16": dtype = SafetensorsDType.BFloat16; return true;
            case "I32": dtype = SafetensorsDType.Int32; return true;
            case "U32": dtype = SafetensorsDType.UInt32; return true;
            case "F32": dtype = SafetensorsDType.Float32; return true;
            case "F64": dtype = SafetensorsDType.Float64; return true;
            case "I64": dtype = SafetensorsDType.Int64; return true;
            case "U64": dtype = SafetensorsDType.UInt64; return true;
            default: dtype = default; return false;
        }
    }

    /// <summary>Whether <paramref name="dtype"/> is a floating-point type (F16, BF16, F32, F64).</summary>
    /// <param name="dtype">The element type.</param>
    /// <returns><see langword="true"/> for floating-point types.</returns>
    public static bool IsFloatingPoint(this SafetensorsDType dtype) =>
        dtype is SafetensorsDType.Float16 or SafetensorsDType.BFloat16 or SafetensorsDType.Float32 or SafetensorsDType.Float64;
}
