using Recur.Kernels;
using Recur.Kernels.Reference;

namespace Recur.Tests.Kernels;

[Collection(GlobalKernelState.Name)]
public class AdamKernelTests
{
    public static TheoryData<bool, bool, bool> Variants => new()
    {
        { true, false, false },  // AdamW
        { false, false, false }, // Adam with L2
        { true, true, false },   // AMSGrad
        { false, true, true },   // AMSGrad, maximize
    };

    private static AdamConstants Constants(bool decoupled, bool maximize, int step) => new(0.9, 0.999, 1e-8,
        1e-2 / (1 - Math.Pow(0.9, step)), Math.Sqrt(1 - Math.Pow(0.999, step)), decoupled ? 1 - (1e-2 * 0.01) : 1, decoupled ? 0 : 0.01, maximize ? -1 : 1);

    [Theory]
    [MemberData(nameof(Variants))]
    public void MatchesTheScalarTwinBitForBitAtEveryLengthAndOffset(bool decoupled, bool amsgrad, bool maximize)
    {
        var random = new Random(5);
        for (int n = 0; n <= 300; n++)
        {
            int offset = n % 3;
            float[] p = KernelTestData.Uniform(random, n + offset), g = KernelTestData.WithSpecials(random, n + offset), m = KernelTestData.Uniform(random, n + offset, 0.1f);
            float[] v = KernelTestData.Uniform(random, n + offset, 0.01f).Select(Math.Abs).ToArray(), x = v.Select(e => e * 1.5f).ToArray();
            var c = Constants(decoupled, maximize, 1 + (n % 7));
            var (p2, m2, v2, x2) = ((float[])p.Clone(), (float[])m.Clone(), (float[])v.Clone(), (float[])x.Clone());
            AdamKernel.Update(p.AsSpan(offset), g.AsSpan(offset), m.AsSpan(offset), v.AsSpan(offset), amsgrad ? x.AsSpan(offset) : default, c);
            ReferenceAdam.Update(p2.AsSpan(offset), g.AsSpan(offset), m2.AsSpan(offset), v2.AsSpan(offset), amsgrad ? x2.AsSpan(offset) : default, c);
            Assert.Equal(p2, p);
            Assert.Equal(m2, m);
            Assert.Equal(v2, v);
            Assert.Equal(x2, x);
        }
    }

    [Theory]
    [InlineData(1.0, false)]
    [InlineData(0.37, false)]
    [InlineData(0.37, true)]
    public void ScalingAndZeroingInThePassEqualClippingStepAndZeroingApart(double scale, bool zero)
    {
        var random = new Random(8);
        for (int n = 0; n <= 67; n++)
        {
            float[] p = KernelTestData.Uniform(random, n), g = KernelTestData.Uniform(random, n, 3f), m = new float[n], v = new float[n];
            // Runs of zeros (whole vectors, as the untouched rows of an embedding) and a negative zero, which zeroing leaves as +0.
            for (int i = 8; i < Math.Min(n, 24); i++) g[i] = 0f;
            if (n > 30) g[30] = -0f;
            float[] p2 = (float[])p.Clone(), g2 = g.Select(x => (float)(x * scale)).ToArray(), m2 = new float[n], v2 = new float[n];
            var c = Constants(true, false, 2);
            AdamKernel.Update(p, g, m, v, default, c with { GradientScale = scale }, zero);
            ReferenceAdam.Update(p2, g2, m2, v2, default, c);
            Assert.Equal(p2, p);
            Assert.Equal(m2, m);
            if (zero) Assert.All(g, x => Assert.Equal(0, BitConverter.SingleToInt32Bits(x))); // +0 exactly
        }
    }

    [Fact]
    public void LargeParametersSplitAcrossThreadsGiveTheSameBits()
    {
        var random = new Random(6);
        int n = (3 << 16) + 13;
        float[] p = KernelTestData.Uniform(random, n), g = KernelTestData.Uniform(random, n), m = new float[n], v = new float[n];
        var (p2, m2, v2) = ((float[])p.Clone(), new float[n], new float[n]);
        var c = Constants(true, false, 3);
        int saved = KernelThreading.MaxThreads;
        try
        {
            KernelThreading.MaxThreads = 2;
            AdamKernel.Update(p, g, m, v, default, c);
        }
        finally
        {
            KernelThreading.MaxThreads = saved;
        }
        ReferenceAdam.Update(p2, g, m2, v2, default, c);
        Assert.Equal(p2, p);
        Assert.Equal(m2, m);
        Assert.Equal(v2, v);
    }

    [Fact]
    public void MismatchedLengthsAreRefused() =>
        Assert.Throws<ArgumentException>(() => AdamKernel.Update(new float[4], new float[3], new float[4], new float[4], default, Constants(true, false, 1)));
}
