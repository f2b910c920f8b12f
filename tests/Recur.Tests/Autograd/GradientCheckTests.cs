using Recur.Autograd;

namespace Recur.Tests.Autograd;

public class GradientCheckTests
{
    private static Tensor R(int seed, params int[] shape) => GradCheck.Rand(seed, shape);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void MatMul(bool transB)
    {
        var b = transB ? R(2, 5, 4) : R(2, 4, 5);
        GradCheck.Check(v => Ops.MatMul(v[0], v[1], transB), [R(1, 3, 4), b]);
        GradCheck.Check(v => Ops.MatMul(v[0], v[1], transB), [R(3, 2, 3, 4), b]);
    }

    [Fact]
    public void AddSubMulSameShape()
    {
        GradCheck.Check(v => v[0] + v[1], [R(1, 3, 4), R(2, 3, 4)]);
        GradCheck.Check(v => v[0] - v[1], [R(1, 3, 4), R(2, 3, 4)]);
        GradCheck.Check(v => v[0] * v[1], [R(1, 3, 4), R(2, 3, 4)]);
    }

    [Theory]
    [InlineData(new[] { 2, 3, 4 }, new[] { 4 })]        // bias over the last dimension
    [InlineData(new[] { 2, 3, 4 }, new[] { 3, 4 })]     // bias over two trailing dimensions
    [InlineData(new[] { 3, 4 }, new[] { 3, 1 })]        // per-row mask
    [InlineData(new[] { 2, 3, 4 }, new[] { 2, 1, 1 })]  // per-batch scale
    [InlineData(new[] { 3, 1, 4 }, new[] { 2, 1 })]     // both operands stretch
    [InlineData(new[] { 3, 4 }, new int[0])]            // scalar
    public void BroadcastingBothOrders(int[] shapeA, int[] shapeB)
    {
        foreach (Func<Variable, Variable, Variable> op in new Func<Variable, Variable, Variable>[] { Ops.Add, Ops.Sub, Ops.Mul })
        {
            GradCheck.Check(v => op(v[0], v[1]), [R(1, shapeA), R(2, shapeB)]);
            GradCheck.Check(v => op(v[0], v[1]), [R(3, shapeB), R(4, shapeA)]);
        }
        // The values, bitwise, against one float operation per element through NumPy's index rule.
        foreach (var (x, y) in new[] { (R(5, shapeA), R(6, shapeB)), (R(7, shapeB), R(8, shapeA)) })
        {
            int rank = Math.Max(x.Rank, y.Rank);
            int[] Pad(Tensor t) => [.. Enumerable.Repeat(1, rank - t.Rank), .. t.ShapeArray];
            int[] px = Pad(x), py = Pad(y), shape = px.Zip(py, Math.Max).ToArray();
            // The operand's flat offset of an output index: stretched dimensions (size 1) always read index 0.
            int At(int[] padded, int[] index) => Enumerable.Range(0, rank).Aggregate(0, (acc, d) => (acc * padded[d]) + (padded[d] == 1 ? 0 : index[d]));
            var sum = (Ops.Add(new Variable(x), new Variable(y))).Value.Span.ToArray();
            var diff = (Ops.Sub(new Variable(x), new Variable(y))).Value.Span.ToArray();
            var prod = (Ops.Mul(new Variable(x), new Variable(y))).Value.Span.ToArray();
            var index = new int[rank];
            for (int flat = 0; flat < sum.Length; flat++)
            {
                for (int d = rank - 1, rest = flat; d >= 0; d--) { index[d] = rest % shape[d]; rest /= shape[d]; }
                float a = x.Span[At(px, index)], b = y.Span[At(py, index)];
                Assert.Equal(a + b, sum[flat]);
                Assert.Equal(a - b, diff[flat]);
                Assert.Equal(a * b, prod[flat]);
            }
        }
    }

    [Fact]
    public void Activations()
    {
        GradCheck.Check(v => Ops.Sigmoid(v[0]), [R(1, 4, 5)]);
        GradCheck.Check(v => Ops.Tanh(v[0]), [R(2, 4, 5)]);
        GradCheck.Check(v => Ops.Exp(v[0]), [R(3, 4, 5)]);
        GradCheck.Check(v => Ops.Log(v[0]), [GradCheck.RandPositive(4, 4, 5)]);
        GradCheck.Check(v => Ops.Scale(v[0], -2.5f), [R(5, 4, 5)]);
        GradCheck.Check(v => -v[0], [R(5, 4, 5)]);
        // relu away from its kink: values in +-[0.1, 1]
        var x = R(6, 4, 5);
        foreach (ref float e in x.Span) e = e >= 0 ? 0.1f + e : -0.1f + e;
        GradCheck.Check(v => Ops.Relu(v[0]), [x]);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(0)]
    [InlineData(1)]
    public void SoftmaxAndLogSoftmax(int dim)
    {
        GradCheck.Check(v => Ops.Softmax(v[0], dim), [R(1, 3, 4, 5)]);
        GradCheck.Check(v => Ops.LogSoftmax(v[0], dim), [R(2, 3, 4, 5)]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(-1)]
    public void ConcatSliceSplit(int dim)
    {
        GradCheck.Check(v => Ops.Concat([v[0], v[1], v[2]], dim), [R(1, 2, 3, 4), R(2, 2, 3, 4), R(3, 2, 3, 4)]);
        GradCheck.Check(v => Ops.Slice(v[0], dim, 1, 2), [R(4, 3, 3, 4)]);
        GradCheck.Check(v =>
        {
            var parts = Ops.Split(v[0], [1, 2], dim);
            return Ops.Concat([parts[1] * parts[1], parts[0]], dim);
        }, [R(5, 3, 3, 3)]);
    }

    [Fact]
    public void ReshapeTranspose()
    {
        GradCheck.Check(v => Ops.Reshape(v[0], 4, -1) * v[1], [R(1, 2, 3, 4), R(2, 4, 6)]);
        GradCheck.Check(v => Ops.Transpose(v[0]) * v[1], [R(3, 3, 4), R(4, 4, 3)]);
        GradCheck.Check(v => Ops.Transpose(v[0], 0, 2) * v[1], [R(5, 2, 3, 4), R(6, 4, 3, 2)]);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(-1, false)]
    public void SumMean(int dim, bool keepDim)
    {
        GradCheck.Check(v => Ops.Sum(v[0], dim, keepDim), [R(1, 2, 3, 4)]);
        GradCheck.Check(v => Ops.Mean(v[0], dim, keepDim), [R(2, 2, 3, 4)]);
        GradCheck.Check(v => Ops.Sum(v[0] * v[0]), [R(3, 2, 3, 4)]);
        GradCheck.Check(v => Ops.Mean(v[0] * v[0]), [R(4, 2, 3, 4)]);
    }

    [Fact]
    public void EmbeddingWithRepeatsAndPadding()
    {
        int[] idx = [1, 3, 1, 0, 4, 3];
        GradCheck.Check(v => Ops.Embedding(v[0], idx, [2, 3]), [R(1, 5, 4)]);
        var w = R(2, 5, 4);
        var weight = new Variable(w, requiresGrad: true);
        var y = Ops.Embedding(weight, idx, [2, 3], paddingIndex: 1);
        y.Backward(R(3, 2, 3, 4));
        Assert.All(weight.Grad![1].ToArray(), g => Assert.Equal(0f, g));
        Assert.Contains(weight.Grad![3].ToArray(), g => g != 0f);
    }

    [Fact]
    public void DropoutWithAFixedMask()
    {
        GradCheck.Check(v => Ops.Dropout(v[0], 0.3, new RandomGenerator(7)), [R(1, 6, 7)]);
    }

    [Fact]
    public void SmallNetworkEndToEnd()
    {
        // tanh(x W1^T + b1) W2 -> log-softmax, the shape of a classifier head
        GradCheck.Check(v =>
        {
            var h = Ops.Tanh(Ops.MatMul(v[0], v[1], transposeB: true) + v[2]);
            return Ops.LogSoftmax(Ops.MatMul(h, v[3]));
        }, [R(1, 3, 4), R(2, 5, 4), R(3, 5), R(4, 5, 6)]);
    }

    [Fact]
    public void VariableUsedTwiceAccumulatesBothPaths()
    {
        GradCheck.Check(v => v[0] * v[0] + Ops.Tanh(v[0]), [R(1, 3, 3)]);
    }
}
