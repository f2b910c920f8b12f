using Recur.Kernels;
using Recur.Kernels.Reference;

namespace Recur.Tests.Kernels;

/// <summary>Every elementwise kernel against its scalar twin: lengths 0..300, odd offsets, specials, in place, short outputs.</summary>
public class PointwiseElementwiseTests
{
    private const int MaxLength = 300;

    private static readonly Dictionary<string, Unary> Unaries = new()
    {
        ["Sigmoid"] = new(Pointwise.Sigmoid, ReferencePointwise.Sigmoid, 2e-6f, 1e-37f),
        ["Tanh"] = new(Pointwise.Tanh, ReferencePointwise.Tanh, 1.2e-7f, 0f),
        ["Relu"] = new(Pointwise.Relu, ReferencePointwise.Relu, 0f, 0f),
        ["Scale"] = new((x, y) => Pointwise.Scale(x, -1.75f, y), (x, y) => ReferencePointwise.Scale(x, -1.75f, y), 0f, 0f),
    };

    private static readonly Dictionary<string, Binary> Binaries = new()
    {
        ["SigmoidBackward"] = new(Pointwise.SigmoidBackward, (y, dy, dx) => ReferencePointwise.SigmoidBackward(y, dy, dx, false)),
        ["SigmoidBackwardAccumulate"] = new(Pointwise.SigmoidBackwardAccumulate, (y, dy, dx) => ReferencePointwise.SigmoidBackward(y, dy, dx, true)),
        ["TanhBackward"] = new(Pointwise.TanhBackward, (y, dy, dx) => ReferencePointwise.TanhBackward(y, dy, dx, false)),
        ["TanhBackwardAccumulate"] = new(Pointwise.TanhBackwardAccumulate, (y, dy, dx) => ReferencePointwise.TanhBackward(y, dy, dx, true)),
        ["ReluBackward"] = new(Pointwise.ReluBackward, (y, dy, dx) => ReferencePointwise.ReluBackward(y, dy, dx, false)),
        ["ReluBackwardAccumulate"] = new(Pointwise.ReluBackwardAccumulate, (y, dy, dx) => ReferencePointwise.ReluBackward(y, dy, dx, true)),
        ["Add"] = new(Pointwise.Add, ReferencePointwise.Add),
        ["Subtract"] = new(Pointwise.Subtract, ReferencePointwise.Subtract),
        ["Multiply"] = new(Pointwise.Multiply, ReferencePointwise.Multiply),
    };

    private delegate void UnaryKernel(ReadOnlySpan<float> x, Span<float> y);

    private delegate void BinaryKernel(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> dst);

    public static TheoryData<string> UnaryNames() => new(Unaries.Keys);

    public static TheoryData<string> BinaryNames() => new(Binaries.Keys);

    [Theory]
    [MemberData(nameof(UnaryNames))]
    public void UnaryKernelsMatchReferenceAtEveryLengthOffsetAndInPlace(string name)
    {
        Unary op = Unaries[name];
        var random = new Random(name.Length);
        for (int length = 0; length <= MaxLength; length++)
        {
            int offX = 1 + (length % 7), offY = 1 + ((length * 3) % 7);
            float[] x = KernelTestData.WithSpecials(random, offX + length + 3);
            var expected = new float[length];
            op.Reference(x.AsSpan(offX, length), expected);

            float[] y = KernelTestData.Uniform(random, offY + length + 5);
            float[] before = (float[])y.Clone();
            op.Kernel(x.AsSpan(offX, length), y.AsSpan(offY, length + 5));
            KernelTestData.AssertClose(expected, y.AsSpan(offY, length), op.Relative, op.Absolute, $"{name} length {length}");
            KernelTestData.AssertBitwiseEqual(before.AsSpan(offY + length), y.AsSpan(offY + length), $"{name} tail");
            KernelTestData.AssertBitwiseEqual(before.AsSpan(0, offY), y.AsSpan(0, offY), $"{name} head");

            float[] inPlace = (float[])x.Clone();
            op.Kernel(inPlace.AsSpan(offX, length), inPlace.AsSpan(offX, length));
            KernelTestData.AssertClose(expected, inPlace.AsSpan(offX, length), op.Relative, op.Absolute, $"{name} in place {length}");

            if (length > 0)
            {
                Assert.Throws<ArgumentException>(() => op.Kernel(new float[length], new float[length - 1]));
            }

            if (length > 1)
            {
                float[] shared = new float[length + 1];
                Assert.Throws<ArgumentException>(() => op.Kernel(shared.AsSpan(0, length), shared.AsSpan(1, length)));
            }
        }
    }

    [Theory]
    [MemberData(nameof(BinaryNames))]
    public void BinaryKernelsMatchReferenceAtEveryLengthOffsetAndInPlace(string name)
    {
        Binary op = Binaries[name];
        var random = new Random(name.Length + 100);
        for (int length = 0; length <= MaxLength; length++)
        {
            int offX = 1 + (length % 7), offY = 1 + ((length * 5) % 7), offD = 1 + ((length * 3) % 7);
            float[] x = KernelTestData.WithSpecials(random, offX + length);
            float[] y = KernelTestData.WithSpecials(random, offY + length);
            float[] dst = KernelTestData.Uniform(random, offD + length + 4);
            float[] expected = dst.AsSpan(offD, length).ToArray();
            op.Reference(x.AsSpan(offX, length), y.AsSpan(offY, length), expected);

            float[] before = (float[])dst.Clone();
            op.Kernel(x.AsSpan(offX, length), y.AsSpan(offY, length), dst.AsSpan(offD, length + 4));
            KernelTestData.AssertClose(expected, dst.AsSpan(offD, length), 0f, 0f, $"{name} length {length}");
            KernelTestData.AssertBitwiseEqual(before.AsSpan(offD + length), dst.AsSpan(offD + length), $"{name} tail");

            // In place on either input: the output starts as a copy of that input.
            float[] onX = (float[])x.Clone();
            expected = onX.AsSpan(offX, length).ToArray();
            op.Reference(x.AsSpan(offX, length), y.AsSpan(offY, length), expected);
            op.Kernel(onX.AsSpan(offX, length), y.AsSpan(offY, length), onX.AsSpan(offX, length));
            KernelTestData.AssertClose(expected, onX.AsSpan(offX, length), 0f, 0f, $"{name} in place on x {length}");

            float[] onY = (float[])y.Clone();
            expected = onY.AsSpan(offY, length).ToArray();
            op.Reference(x.AsSpan(offX, length), y.AsSpan(offY, length), expected);
            op.Kernel(x.AsSpan(offX, length), onY.AsSpan(offY, length), onY.AsSpan(offY, length));
            KernelTestData.AssertClose(expected, onY.AsSpan(offY, length), 0f, 0f, $"{name} in place on y {length}");

            if (length > 0)
            {
                Assert.Throws<ArgumentException>(() => op.Kernel(new float[length], new float[length], new float[length - 1]));
                Assert.Throws<ArgumentException>(() => op.Kernel(new float[length], new float[length - 1], new float[length]));
            }
        }
    }

    [Fact]
    public void AddScaledMatchesReferenceWithinOneRoundingAtEveryLength()
    {
        var random = new Random(11);
        for (int length = 0; length <= MaxLength; length++)
        {
            int offX = 1 + (length % 7), offY = 1 + ((length * 3) % 7);
            float[] x = KernelTestData.Uniform(random, offX + length, 4f);
            float[] y = KernelTestData.Uniform(random, offY + length + 2, 4f);
            float[] expected = (float[])y.Clone();
            ReferencePointwise.AddScaled(x.AsSpan(offX, length), 0.3f, expected.AsSpan(offY, length));
            Pointwise.AddScaled(x.AsSpan(offX, length), 0.3f, y.AsSpan(offY, length + 2));
            for (int i = 0; i < y.Length; i++)
            {
                bool inside = i >= offY && i < offY + length;
                float bound = inside ? 2.4e-7f * (Math.Abs(expected[i]) + (0.3f * Math.Abs(x[i - offY + offX]))) : 0f;
                Assert.True(Math.Abs(expected[i] - y[i]) <= bound, $"length {length} index {i}");
            }

            if (length > 0)
            {
                Assert.Throws<ArgumentException>(() => Pointwise.AddScaled(new float[length], 1f, new float[length - 1]));
            }
        }
    }

    [Fact]
    public void FillWritesEveryElement()
    {
        for (int length = 0; length <= MaxLength; length += 7)
        {
            var y = new float[length + 2];
            Pointwise.Fill(2.5f, y.AsSpan(1, length));
            var expected = new float[length + 2];
            ReferencePointwise.Fill(2.5f, expected.AsSpan(1, length));
            KernelTestData.AssertBitwiseEqual(expected, y, $"length {length}");
        }
    }

    [Fact]
    public void SigmoidAndTanhSaturateWithoutNaNAndPropagateNaN()
    {
        float[] x = [float.MaxValue, -float.MaxValue, float.PositiveInfinity, float.NegativeInfinity, 1e10f, -1e10f, 100f, -100f, 50f, -50f, 20f, -20f];
        foreach (int repeat in new[] { 1, 2, 5 })
        {
            float[] input = Enumerable.Repeat(x, repeat).SelectMany(v => v).ToArray();
            var s = new float[input.Length];
            var t = new float[input.Length];
            Pointwise.Sigmoid(input, s);
            Pointwise.Tanh(input, t);
            for (int i = 0; i < input.Length; i++)
            {
                Assert.InRange(s[i], 0f, 1f);
                Assert.Equal(input[i] > 0 ? 1f : 0f, s[i], 1e-7f);
                Assert.Equal(input[i] > 0 ? 1f : -1f, t[i]);
            }
        }

        foreach (int length in new[] { 1, 7, 16, 33 })
        {
            float[] nan = Enumerable.Repeat(float.NaN, length).ToArray();
            var y = new float[length];
            Pointwise.Sigmoid(nan, y);
            Assert.All(y, v => Assert.True(float.IsNaN(v)));
            Pointwise.Tanh(nan, y);
            Assert.All(y, v => Assert.True(float.IsNaN(v)));
            Pointwise.Relu(nan, y);
            Assert.All(y, v => Assert.True(float.IsNaN(v)));
        }
    }

    [Fact]
    public void TanhKeepsTinyInputsAndTheirSign()
    {
        float[] x = [-float.Epsilon, float.Epsilon, -1e-30f, 1e-10f, -1e-5f, 1e-3f, -0f, 0f, -5e-39f];
        foreach (int repeat in new[] { 1, 3, 16 })
        {
            float[] input = Enumerable.Repeat(x, repeat).SelectMany(v => v).ToArray();
            var y = new float[input.Length];
            Pointwise.Tanh(input, y);
            for (int i = 0; i < input.Length; i++)
            {
                Assert.Equal(float.IsNegative(input[i]), float.IsNegative(y[i]));
                Assert.Equal((float)Math.Tanh(input[i]), y[i]);
            }
        }
    }

    private sealed record Unary(UnaryKernel Kernel, UnaryKernel Reference, float Relative, float Absolute);

    private sealed record Binary(BinaryKernel Kernel, BinaryKernel Reference);
}
