namespace Recur.Tests.Kernels;

/// <summary>Seeded inputs and tolerant comparisons shared by the kernel property tests.</summary>
internal static class KernelTestData
{
    /// <summary>Special values mixed into pointwise inputs.</summary>
    public static readonly float[] Specials =
    [
        float.NaN, float.PositiveInfinity, float.NegativeInfinity, float.MaxValue, -float.MaxValue, 0f, -0f,
        float.Epsilon, -float.Epsilon, 1e-30f, 88.7f, -88.7f, 89f, -104f, 20f, -20f, 9.1f, -9.1f, 1e10f, -1e10f,
    ];

    /// <summary>Uniform values in [-scale, scale).</summary>
    public static float[] Uniform(Random random, int length, float scale = 1f)
    {
        var values = new float[length];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)(((random.NextDouble() * 2) - 1) * scale);
        }

        return values;
    }

    /// <summary>Uniform values with roughly one in eight replaced by a special value.</summary>
    public static float[] WithSpecials(Random random, int length, float scale = 10f)
    {
        float[] values = Uniform(random, length, scale);
        for (int i = 0; i < values.Length; i++)
        {
            if (random.Next(8) == 0)
            {
                values[i] = Specials[random.Next(Specials.Length)];
            }
        }

        return values;
    }

    /// <summary>
    /// True when <paramref name="actual"/> matches <paramref name="expected"/>: both NaN, equal (including
    /// infinities), or within <paramref name="relative"/> of the larger magnitude plus <paramref name="absolute"/>.
    /// </summary>
    public static bool Close(float expected, float actual, float relative, float absolute)
    {
        if (float.IsNaN(expected) || float.IsNaN(actual))
        {
            return float.IsNaN(expected) && float.IsNaN(actual);
        }

        if (expected == actual)
        {
            return true;
        }

        if (float.IsInfinity(expected) || float.IsInfinity(actual))
        {
            return false;
        }

        double scale = Math.Max(Math.Abs((double)expected), Math.Abs((double)actual));
        return Math.Abs((double)expected - actual) <= (relative * scale) + absolute;
    }

    /// <summary>Asserts <see cref="Close"/> element by element, naming the first mismatch.</summary>
    public static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, float relative, float absolute, string context)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (!Close(expected[i], actual[i], relative, absolute))
            {
                Assert.Fail($"{context}: element {i} expected {expected[i]:R} but got {actual[i]:R}");
            }
        }
    }

    /// <summary>Asserts bitwise equality (NaN payloads included), naming the first difference.</summary>
    public static void AssertBitwiseEqual(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string context)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
            {
                Assert.Fail($"{context}: element {i} expected {expected[i]:R} but got {actual[i]:R}");
            }
        }
    }
}
