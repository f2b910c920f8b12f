using Recur.Kernels;
using Recur.Kernels.Reference;

namespace Recur.Tests.Kernels;

/// <summary>Row-wise softmax, log-softmax and their gradients against the scalar twins.</summary>
public class PointwiseSoftmaxTests
{
    private delegate void RowKernel(ReadOnlySpan<float> x, int rows, int cols, Span<float> y);

    private delegate void RowBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, int rows, int cols, Span<float> dx);

    [Fact]
    public void SoftmaxMatchesReferenceForEveryWidthOffsetAndInPlace() =>
        CheckForward(Pointwise.Softmax, ReferencePointwise.Softmax, 2e-6f, 1e-7f);

    [Fact]
    public void LogSoftmaxMatchesReferenceForEveryWidthOffsetAndInPlace() =>
        CheckForward(Pointwise.LogSoftmax, ReferencePointwise.LogSoftmax, 2e-6f, 1e-5f);

    [Fact]
    public void SoftmaxBackwardMatchesReference() =>
        CheckBackward(Pointwise.Softmax, Pointwise.SoftmaxBackward, ReferencePointwise.SoftmaxBackward);

    [Fact]
    public void LogSoftmaxBackwardMatchesReference() =>
        CheckBackward(Pointwise.LogSoftmax, Pointwise.LogSoftmaxBackward, ReferencePointwise.LogSoftmaxBackward);

    [Fact]
    public void SoftmaxIsStableForLargeValuesAndNegativeInfinity()
    {
        float[] x = [1e30f, 1e30f, float.NegativeInfinity, 0f, 1000f, 999f, float.NegativeInfinity, -1000f];
        var y = new float[8];
        Pointwise.Softmax(x, 2, 4, y);
        Assert.Equal([0.5f, 0.5f, 0f, 0f], y[..4]);
        Assert.Equal(1f / (1f + MathF.Exp(-1f)), y[4], 1e-6f);
        Assert.Equal(0f, y[6]);

        var log = new float[8];
        Pointwise.LogSoftmax(x, 2, 4, log);
        Assert.Equal(-MathF.Log(2f), log[0], 1e-6f);
        Assert.Equal(float.NegativeInfinity, log[2]);
        Assert.Equal(-1e30f, log[3]);

        float[] allMinusInf = [float.NegativeInfinity, float.NegativeInfinity, float.NegativeInfinity];
        Pointwise.Softmax(allMinusInf, 1, 3, y);
        Assert.All(y[..3], v => Assert.True(float.IsNaN(v)));
    }

    [Fact]
    public void RowKernelsRejectShortOrOverlappingBuffers()
    {
        Assert.Throws<ArgumentException>(() => Pointwise.Softmax(new float[6], 2, 3, new float[5]));
        Assert.Throws<ArgumentException>(() => Pointwise.LogSoftmax(new float[5], 2, 3, new float[6]));
        Assert.Throws<ArgumentException>(() => Pointwise.SoftmaxBackward(new float[6], new float[5], 2, 3, new float[6]));
        Assert.Throws<ArgumentException>(() => Pointwise.LogSoftmaxBackward(new float[6], new float[6], 2, 3, new float[5]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Pointwise.Softmax(new float[6], -2, 3, new float[6]));
        var shared = new float[8];
        Assert.Throws<ArgumentException>(() => Pointwise.Softmax(shared.AsSpan(0, 6), 2, 3, shared.AsSpan(1, 6)));
    }

    private static void CheckForward(RowKernel kernel, RowKernel reference, float relative, float absolute)
    {
        var random = new Random(31);
        for (int cols = 0; cols <= 300; cols++)
        {
            int rows = 1 + (cols % 3);
            int offX = 1 + (cols % 7), offY = 1 + ((cols * 3) % 7);
            float[] x = KernelTestData.Uniform(random, offX + (rows * cols), 30f);
            if (cols > 0)
            {
                x[offX + random.Next(rows * cols)] = float.NegativeInfinity;
                x[offX + random.Next(rows * cols)] = 1e20f;
            }

            var expected = new float[rows * cols];
            reference(x.AsSpan(offX), rows, cols, expected);
            float[] y = KernelTestData.Uniform(random, offY + (rows * cols) + 3);
            float[] before = (float[])y.Clone();
            kernel(x.AsSpan(offX), rows, cols, y.AsSpan(offY));
            KernelTestData.AssertClose(expected, y.AsSpan(offY, rows * cols), relative, absolute, $"{rows}x{cols}");
            KernelTestData.AssertBitwiseEqual(before.AsSpan(offY + (rows * cols)), y.AsSpan(offY + (rows * cols)), "tail");

            float[] inPlace = (float[])x.Clone();
            kernel(inPlace.AsSpan(offX), rows, cols, inPlace.AsSpan(offX));
            KernelTestData.AssertClose(expected, inPlace.AsSpan(offX, rows * cols), relative, absolute, $"in place {rows}x{cols}");
        }
    }

    private static void CheckBackward(RowKernel forward, RowBackward kernel, RowBackward reference)
    {
        var random = new Random(32);
        for (int cols = 0; cols <= 300; cols++)
        {
            int rows = 1 + (cols % 3), size = rows * cols;
            int offY = 1 + (cols % 7), offD = 1 + ((cols * 5) % 7);
            var y = new float[offY + size];
            forward(KernelTestData.Uniform(random, size, 5f), rows, cols, y.AsSpan(offY));
            float[] dy = KernelTestData.Uniform(random, offD + size);
            var expected = new float[size];
            reference(y.AsSpan(offY), dy.AsSpan(offD), rows, cols, expected);
            float tolerance = 2e-7f * (cols + 4);

            var dx = new float[size + 2];
            kernel(y.AsSpan(offY), dy.AsSpan(offD), rows, cols, dx);
            KernelTestData.AssertClose(expected, dx.AsSpan(0, size), 1e-6f, tolerance, $"{rows}x{cols}");
            Assert.Equal([0f, 0f], dx[size..]);

            float[] onY = (float[])y.Clone();
            kernel(onY.AsSpan(offY), dy.AsSpan(offD), rows, cols, onY.AsSpan(offY));
            KernelTestData.AssertClose(expected, onY.AsSpan(offY, size), 1e-6f, tolerance, $"dx = y {rows}x{cols}");

            float[] onDy = (float[])dy.Clone();
            kernel(y.AsSpan(offY), onDy.AsSpan(offD), rows, cols, onDy.AsSpan(offD));
            KernelTestData.AssertClose(expected, onDy.AsSpan(offD, size), 1e-6f, tolerance, $"dx = dy {rows}x{cols}");
        }
    }
}
