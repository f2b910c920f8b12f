using Recur.Kernels;
using Recur.Kernels.Reference;

namespace Recur.Tests.Kernels;

/// <summary>Sums, maxima and the bias helpers against their scalar twins.</summary>
[Collection(GlobalKernelState.Name)]
public class PointwiseReductionTests
{
    [Fact]
    public void SumAndSumOfSquaresMatchReferenceAtEveryLengthAndOffset()
    {
        var random = new Random(21);
        for (int length = 0; length <= 300; length++)
        {
            int offset = 1 + (length % 7);
            float[] x = KernelTestData.Uniform(random, offset + length, 100f);
            ReadOnlySpan<float> span = x.AsSpan(offset, length);
            double magnitude = x.Skip(offset).Sum(v => Math.Abs((double)v));
            Assert.Equal(ReferencePointwise.Sum(span), Pointwise.Sum(span), 1e-13 * (magnitude + 1));
            Assert.Equal(ReferencePointwise.SumOfSquares(span), Pointwise.SumOfSquares(span), 1e-13 * (magnitude * 100 + 1));
        }
    }

    [Fact]
    public void SumsHandleSpecialValuesAndNeverOverflowSquares()
    {
        foreach (int length in new[] { 1, 5, 17, 40 })
        {
            float[] big = Enumerable.Repeat(float.MaxValue, length).ToArray();
            Assert.Equal(length * (double)float.MaxValue * float.MaxValue, Pointwise.SumOfSquares(big), 1e-9 * length * (double)float.MaxValue * float.MaxValue);
            Assert.Equal(length * (double)float.MaxValue, Pointwise.Sum(big), 1e-9 * length * (double)float.MaxValue);

            float[] withNaN = Enumerable.Repeat(1f, length).ToArray();
            withNaN[length / 2] = float.NaN;
            Assert.True(double.IsNaN(Pointwise.Sum(withNaN)));
            Assert.True(double.IsNaN(Pointwise.SumOfSquares(withNaN)));

            float[] withInf = Enumerable.Repeat(1f, length).ToArray();
            withInf[length - 1] = float.NegativeInfinity;
            Assert.Equal(double.NegativeInfinity, Pointwise.Sum(withInf));
            Assert.Equal(double.PositiveInfinity, Pointwise.SumOfSquares(withInf));
        }

        Assert.Equal(0.0, Pointwise.Sum([]));
        Assert.Equal(0.0, Pointwise.SumOfSquares([]));
    }

    [Fact]
    public void MaxMatchesReferenceWithSpecialsAndRejectsEmpty()
    {
        var random = new Random(22);
        for (int length = 1; length <= 300; length++)
        {
            int offset = 1 + (length % 7);
            float[] x = random.Next(3) == 0 ? KernelTestData.WithSpecials(random, offset + length) : KernelTestData.Uniform(random, offset + length);
            float expected = ReferencePointwise.Max(x.AsSpan(offset, length));
            float actual = Pointwise.Max(x.AsSpan(offset, length));
            Assert.True(KernelTestData.Close(expected, actual, 0f, 0f), $"length {length}: {expected} vs {actual}");
        }

        Assert.True(float.IsPositive(Pointwise.Max([-0f, 0f, -0f])));
        Assert.True(float.IsNegative(Pointwise.Max([-0f, -0f, -1f])));
        Assert.Equal(float.NegativeInfinity, Pointwise.Max([float.NegativeInfinity, float.NegativeInfinity]));
        Assert.Throws<ArgumentException>(() => Pointwise.Max([]));
    }

    [Fact]
    public void AddRowVectorAndAddSumOverRowsMatchReferenceForEveryWidth()
    {
        var random = new Random(23);
        for (int cols = 0; cols <= 300; cols++)
        {
            int rows = cols % 5;
            int offM = 1 + (cols % 7), offB = 1 + ((cols * 3) % 7);
            float[] bias = KernelTestData.WithSpecials(random, offB + cols);
            float[] matrix = KernelTestData.Uniform(random, offM + (rows * cols) + 3, 5f);

            float[] expected = (float[])matrix.Clone();
            ReferencePointwise.AddRowVector(bias.AsSpan(offB, cols), rows, cols, expected.AsSpan(offM));
            float[] actual = (float[])matrix.Clone();
            Pointwise.AddRowVector(bias.AsSpan(offB, cols), rows, cols, actual.AsSpan(offM));
            KernelTestData.AssertClose(expected, actual, 0f, 0f, $"AddRowVector {rows}x{cols}");

            float[] sums = KernelTestData.Uniform(random, offB + cols + 2);
            float[] expectedSums = (float[])sums.Clone();
            ReferencePointwise.AddSumOverRows(matrix.AsSpan(offM), rows, cols, expectedSums.AsSpan(offB));
            Pointwise.AddSumOverRows(matrix.AsSpan(offM), rows, cols, sums.AsSpan(offB));
            KernelTestData.AssertClose(expectedSums, sums, 0f, 0f, $"AddSumOverRows {rows}x{cols}");

            if (cols > 0 && rows > 0)
            {
                Assert.Throws<ArgumentException>(() => Pointwise.AddRowVector(new float[cols - 1], rows, cols, new float[rows * cols]));
                Assert.Throws<ArgumentException>(() => Pointwise.AddRowVector(new float[cols], rows, cols, new float[(rows * cols) - 1]));
                Assert.Throws<ArgumentException>(() => Pointwise.AddSumOverRows(new float[(rows * cols) - 1], rows, cols, new float[cols]));
                Assert.Throws<ArgumentException>(() => Pointwise.AddSumOverRows(new float[rows * cols], rows, cols, new float[cols - 1]));
            }
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => Pointwise.AddRowVector(new float[3], -1, 3, new float[3]));
        var shared = new float[12];
        Assert.Throws<ArgumentException>(() => Pointwise.AddSumOverRows(shared.AsSpan(0, 6), 2, 3, shared.AsSpan(5, 3)));
    }

    [Fact]
    public void PointwiseKernelsAllocateNothing()
    {
        float[] x = KernelTestData.Uniform(new Random(24), 600);
        var y = new float[600];
        var dx = new float[600];
        void RunAll()
        {
            Pointwise.Sigmoid(x, y);
            Pointwise.Tanh(x, y);
            Pointwise.Relu(x, y);
            Pointwise.SigmoidBackwardAccumulate(y, x, dx);
            Pointwise.TanhBackward(y, x, dx);
            Pointwise.ReluBackward(y, x, dx);
            Pointwise.AddScaled(x, 0.5f, dx);
            Pointwise.AddRowVector(x.AsSpan(0, 300), 2, 300, dx);
            Pointwise.AddSumOverRows(x, 2, 300, dx.AsSpan(0, 300));
            Pointwise.Softmax(x, 2, 300, y);
            Pointwise.LogSoftmax(x, 2, 300, y);
            Pointwise.SoftmaxBackward(y, x, 2, 300, dx);
            Pointwise.LogSoftmaxBackward(y, x, 2, 300, dx);
            Assert.True(Pointwise.Sum(x) + Pointwise.SumOfSquares(x) + Pointwise.Max(x) != 12345);
        }

        RunAll();
        long before = GC.GetAllocatedBytesForCurrentThread();
        RunAll();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
