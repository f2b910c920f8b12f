using Recur.Kernels;

namespace Recur.Tests.Kernels;

/// <summary>
/// The single-precision tanh and sigmoid against double precision over a sweep of all float bit patterns (every
/// 251st here; every one with RECUR_EXHAUSTIVE=1): at most 1.51 ulp (tanh) and 2.41 ulp (sigmoid) wherever the result is
/// a normal float, at most
/// 2^-126 absolute below that, NaN for NaN, and the vector paths bitwise equal to the scalar one.
/// </summary>
public class ActivationAccuracyTests
{
    private const double MaxTanhUlps = 1.51, MaxSigmoidUlps = 2.41; // the worst over all 2^32 inputs: 1.509 and 2.402
    private const double SmallestNormal = 1.1754943508222875e-38;

    [Fact]
    public void TanhAndSigmoidStayWithinTheirUlpBoundsOverASweepOfAllFloats() => Sweep(251);

    [SkippableFact]
    public void TanhAndSigmoidStayWithinTheirUlpBoundsOverEveryFloat()
    {
        Skip.IfNot(Environment.GetEnvironmentVariable("RECUR_EXHAUSTIVE") == "1", "set RECUR_EXHAUSTIVE=1 to check all 2^32 inputs (minutes)");
        Sweep(1);
    }

    [Fact]
    public void TheUlpMeasureCatchesAnErrorOfThreeUlps()
    {
        // The checker itself: a result three floats away from the correctly rounded one must count as more than 2 ulp.
        double exact = Math.Tanh(0.3);
        float wrong = MathF.BitIncrement(MathF.BitIncrement(MathF.BitIncrement((float)exact)));
        Assert.True(Ulps(wrong, exact) > MaxSigmoidUlps);
        Assert.True(Ulps((float)exact, exact) <= 0.5);
    }

    private static void Sweep(long stride)
    {
        const int chunk = 1 << 16;
        var x = new float[chunk];
        var tanh = new float[chunk];
        var sigmoid = new float[chunk];
        double worstTanh = 0, worstSigmoid = 0;
        float worstTanhAt = 0, worstSigmoidAt = 0;
        long bits = 0;
        while (bits < (1L << 32))
        {
            int count = 0;
            for (; count < chunk && bits < (1L << 32); count++, bits += stride)
                x[count] = BitConverter.Int32BitsToSingle((int)(uint)bits);
            Pointwise.Tanh(x.AsSpan(0, count), tanh);
            Pointwise.Sigmoid(x.AsSpan(0, count), sigmoid);
            for (int i = 0; i < count; i++)
            {
                float v = x[i];
                AssertSame(TanhOp.Invoke(v), tanh[i], "tanh", v);
                AssertSame(SigmoidOp.Invoke(v), sigmoid[i], "sigmoid", v);
                if (float.IsNaN(v))
                {
                    Assert.True(float.IsNaN(tanh[i]) && float.IsNaN(sigmoid[i]), $"NaN input {BitConverter.SingleToInt32Bits(v):X8}");
                    continue;
                }

                double t = Ulps(tanh[i], Math.Tanh(v));
                if (t > worstTanh) (worstTanh, worstTanhAt) = (t, v);
                double s = Ulps(sigmoid[i], 1.0 / (1.0 + Math.Exp(-(double)v)));
                if (s > worstSigmoid) (worstSigmoid, worstSigmoidAt) = (s, v);
            }
        }

        Assert.True(worstTanh <= MaxTanhUlps && worstSigmoid <= MaxSigmoidUlps,
            $"tanh is at worst {worstTanh:F2} ulp off (at {worstTanhAt:G9}), sigmoid {worstSigmoid:F2} ulp (at {worstSigmoidAt:G9})");
        Console.WriteLine($"worst: tanh {worstTanh:F3} ulp at {worstTanhAt:G9}, sigmoid {worstSigmoid:F3} ulp at {worstSigmoidAt:G9}");
        Assert.True(float.IsNegative(TanhOp.Invoke(-0f)), "tanh(-0) keeps the sign");
    }

    private static void AssertSame(float scalar, float vector, string what, float x)
    {
        if (BitConverter.SingleToInt32Bits(scalar) != BitConverter.SingleToInt32Bits(vector) && !(float.IsNaN(scalar) && float.IsNaN(vector)))
            Assert.Fail($"{what}({x:G9}): vector path {vector:G9}, scalar path {scalar:G9}");
    }

    /// <summary>|actual - exact| in ulps of the correctly rounded result; for results below the smallest normal float, 0 when within 2^-126.</summary>
    private static double Ulps(float actual, double exact)
    {
        if (Math.Abs(exact) < SmallestNormal) return Math.Abs(actual - exact) <= SmallestNormal ? 0 : double.PositiveInfinity;
        float rounded = Math.Abs((float)exact);
        double ulp = (double)MathF.BitIncrement(rounded) - rounded;
        return Math.Abs(actual - exact) / ulp;
    }
}
