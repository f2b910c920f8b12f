using Recur.IO;

namespace Recur.Tests.IO;

/// <summary>
/// F16 and BF16 rounding checked against reference conversions written here from the definition of
/// round-to-nearest-even (pick the nearer of the two neighbours, ties to the even bit pattern), computed in double.
/// </summary>
public class SafetensorsRoundingTests
{
    private static readonly float[] Specials =
    [
        0f, -0f, 1f, -1f, 0.1f, -2.5f, 3.14159265f, 1e-40f, -1e-45f, 1e38f, float.MaxValue, float.MinValue,
        float.Epsilon, float.PositiveInfinity, float.NegativeInfinity, 65504f, 65519.99f, 65520f, -65520f, 6.1e-5f,
        5.96e-8f, 2.98e-8f, 2.9802322e-8f, 1e-8f, 3.3895314e38f, 3.3961776e38f,
    ];

    private static IEnumerable<float> Samples()
    {
        var random = new Random(20240611);
        foreach (float f in Specials)
        {
            yield return f;
        }

        for (int i = 0; i < 20000; i++)
        {
            uint bits = (uint)random.NextInt64(0, 1L << 32);
            float f = BitConverter.UInt32BitsToSingle(bits);
            if (!float.IsNaN(f))
            {
                yield return f;
            }
        }

        // Exact ties and near-ties for bfloat16 (low 16 bits around 0x8000).
        for (int i = 0; i < 2000; i++)
        {
            uint high = (uint)random.Next(0, 0x10000) << 16;
            foreach (uint low in new uint[] { 0x7FFF, 0x8000, 0x8001, 0x0000, 0xFFFF })
            {
                float f = BitConverter.UInt32BitsToSingle(high | low);
                if (!float.IsNaN(f))
                {
                    yield return f;
                }
            }
        }

        // Exact ties and values in the half range, subnormals included.
        for (int i = 0; i < 4000; i++)
        {
            ushort a = (ushort)random.Next(0, 0x7BFF);
            double lo = (double)BitConverter.UInt16BitsToHalf(a);
            double hi = (double)BitConverter.UInt16BitsToHalf((ushort)(a + 1));
            float sign = random.Next(2) == 0 ? 1f : -1f;
            yield return sign * (float)((lo + hi) / 2);
            yield return sign * (float)(lo + (hi - lo) * random.NextDouble());
        }
    }

    [Fact]
    public void BFloat16_RoundsToNearestEven()
    {
        var samples = Samples().ToArray();
        var entry = SafetensorsEntry.CreateBFloat16("bf", samples, [samples.Length]);
        var bits = entry.ToBFloat16Bits();
        for (int i = 0; i < samples.Length; i++)
        {
            Assert.True(ReferenceBFloat16(samples[i]) == bits[i],
                $"{samples[i]:R} (0x{BitConverter.SingleToUInt32Bits(samples[i]):X8}): expected 0x{ReferenceBFloat16(samples[i]):X4}, got 0x{bits[i]:X4}");
        }
    }

    [Fact]
    public void BFloat16_MapsEveryNaNToPyTorchsCanonicalNaN()
    {
        float[] nans = [float.NaN, BitConverter.UInt32BitsToSingle(0x7F800001), BitConverter.UInt32BitsToSingle(0xFFC12345)];
        var bits = SafetensorsEntry.CreateBFloat16("nan", nans, [3]).ToBFloat16Bits();
        Assert.All(bits, b => Assert.Equal(0x7FC0, b));
    }

    [Fact]
    public void Float16_RoundsToNearestEven()
    {
        var samples = Samples().ToArray();
        var entry = SafetensorsEntry.CreateFloat16("h", samples, [samples.Length]);
        var halves = entry.ToHalfArray();
        for (int i = 0; i < samples.Length; i++)
        {
            ushort expected = ReferenceHalf(samples[i]);
            ushort actual = BitConverter.HalfToUInt16Bits(halves[i]);
            Assert.True(expected == actual, $"{samples[i]:R}: expected 0x{expected:X4}, got 0x{actual:X4}");
        }
    }

    [Fact]
    public void Float16_OfNaN_IsNaN()
    {
        var halves = SafetensorsEntry.CreateFloat16("nan", new[] { float.NaN }, [1]).ToHalfArray();
        Assert.True(Half.IsNaN(halves[0]));
    }

    /// <summary>Nearest bfloat16 (ties to even) of a non-NaN float; past the largest finite value gives infinity.</summary>
    private static ushort ReferenceBFloat16(float x)
    {
        uint bits = BitConverter.SingleToUInt32Bits(x);
        uint sign = bits & 0x80000000;
        uint magnitude = bits & 0x7FFFFFFF;
        uint down = magnitude & 0xFFFF0000;
        if (down == magnitude || down == 0x7F800000)
        {
            return (ushort)((sign | down) >> 16);
        }

        double value = BitConverter.UInt32BitsToSingle(magnitude);
        double lower = BitConverter.UInt32BitsToSingle(down);
        uint up = down + 0x10000;
        double upper = up == 0x7F800000 ? Math.Pow(2, 128) : BitConverter.UInt32BitsToSingle(up);
        double toLower = value - lower, toUpper = upper - value;
        uint chosen = toLower < toUpper ? down : toUpper < toLower ? up : ((down >> 16) & 1) == 0 ? down : up;
        return (ushort)((sign | chosen) >> 16);
    }

    /// <summary>Nearest binary16 (ties to even) of a non-NaN float, by search over the finite halves.</summary>
    private static ushort ReferenceHalf(float x)
    {
        ushort sign = float.IsNegative(x) ? (ushort)0x8000 : (ushort)0;
        double value = Math.Abs((double)x);
        if (double.IsInfinity(value))
        {
            return (ushort)(sign | 0x7C00);
        }

        int low = 0, high = 0x7BFF;
        while (low < high)
        {
            int mid = (low + high + 1) / 2;
            if ((double)BitConverter.UInt16BitsToHalf((ushort)mid) <= value)
            {
                low = mid;
            }
            else
            {
                high = mid - 1;
            }
        }

        double lower = (double)BitConverter.UInt16BitsToHalf((ushort)low);
        if (lower == value)
        {
            return (ushort)(sign | low);
        }

        double upper = low == 0x7BFF ? 65536.0 : (double)BitConverter.UInt16BitsToHalf((ushort)(low + 1));
        double toLower = value - lower, toUpper = upper - value;
        int chosen = toLower < toUpper ? low : toUpper < toLower ? low + 1 : (low & 1) == 0 ? low : low + 1;
        return (ushort)(sign | chosen);
    }
}
