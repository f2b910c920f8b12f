namespace Recur.IO;

/// <summary>
/// bfloat16 stored as its 16 raw bits: the sign, the 8 exponent bits and the top 7 mantissa bits of a float32.
/// </summary>
internal static class BFloat16Bits
{
    /// <summary>The quiet NaN PyTorch produces for every NaN input (sign and payload are not kept).</summary>
    public const ushort CanonicalNaN = 0x7FC0;

    /// <summary>
    /// Rounds a float32 to bfloat16, to nearest with ties to even, as PyTorch's <c>round_to_nearest_even</c>:
    /// <c>(bits + 0x7FFF + ((bits &gt;&gt; 16) &amp; 1)) &gt;&gt; 16</c>. Values past the largest bfloat16 become
    /// infinity; NaN becomes <see cref="CanonicalNaN"/>.
    /// </summary>
    public static ushort FromSingle(float value)
    {
        if (float.IsNaN(value))
        {
            return CanonicalNaN;
        }

        uint bits = BitConverter.SingleToUInt32Bits(value);
        uint roundingBias = 0x7FFFu + ((bits >> 16) & 1u);
        return (ushort)((bits + roundingBias) >> 16);
    }

    /// <summary>Widens bfloat16 bits to the float32 with the same value (exact, NaN payloads kept).</summary>
    public static float ToSingle(ushort bits) => BitConverter.UInt32BitsToSingle((uint)bits << 16);
}
