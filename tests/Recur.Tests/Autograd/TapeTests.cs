using Recur.Autograd;

namespace Recur.Tests.Autograd;

public class TapeTests
{
    [Fact]
    public void BackwardTwiceDoublesTheGradients()
    {
        var x = new Variable(GradCheck.Rand(1, 3, 4), requiresGrad: true);
        var w = new Variable(GradCheck.Rand(2, 4, 2), requiresGrad: true);
        var loss = Ops.Sum(Ops.Tanh(Ops.MatMul(x, w)));
        loss.Backward();
        var once = w.Grad!.ToArray();
        loss.Backward();
        var twice = w.Grad!.ToArray();
        for (int i = 0; i < once.Length; i++) Assert.Equal(2 * once[i], twice[i], 5);
    }

    [Fact]
    public void ZeroGradClearsAndNoGradRecordsNothing()
    {
        var x = new Variable(GradCheck.Rand(1, 2, 2), requiresGrad: true);
        Ops.Sum(x * x).Backward();
        Assert.Contains(x.Grad!.ToArray(), g => g != 0);
        x.ZeroGrad();
        Assert.All(x.Grad!.ToArray(), g => Assert.Equal(0f, g));

        Variable y;
        using (GradMode.NoGrad()) y = Ops.Sum(x * x);
        Assert.False(y.RequiresGrad);
        Assert.True(GradMode.IsEnabled);
        Assert.Throws<InvalidOperationException>(() => y.Backward());
    }

    [Fact]
    public void DetachCutsTheGradientPath()
    {
        var x = new Variable(GradCheck.Rand(1, 2, 2), requiresGrad: true);
        var h = Ops.Tanh(x);
        var loss = Ops.Sum(h.Detach() * x);
        loss.Backward();
        // d/dx sum(c * x) = c with c = tanh(x) treated as a constant
        var expected = h.Value.ToArray();
        var got = x.Grad!.ToArray();
        for (int i = 0; i < got.Length; i++) Assert.Equal(expected[i], got[i], 6);
    }

    [Fact]
    public void BackwardChecksTheSeedShape()
    {
        var x = new Variable(GradCheck.Rand(1, 2, 3), requiresGrad: true);
        var y = Ops.Tanh(x);
        var ex = Assert.Throws<ArgumentException>(() => y.Backward(Tensor.Zeros(3, 2)));
        Assert.Contains("[2, 3]", ex.Message);
        Assert.Throws<InvalidOperationException>(() => y.Backward());
    }

    [Fact]
    public void ShapeErrorsNameBothShapes()
    {
        var a = new Variable(Tensor.Zeros(2, 3));
        var b = new Variable(Tensor.Zeros(4, 5));
        var ex = Assert.Throws<ArgumentException>(() => Ops.MatMul(a, b));
        Assert.Contains("[2, 3]", ex.Message);
        Assert.Contains("[4, 5]", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => Ops.Add(a, b));
        Assert.Contains("cannot be broadcast", ex.Message);
    }

    [Fact]
    public void SoftmaxIsStableForLargeAndInfiniteInputs()
    {
        var x = Tensor.FromArray([1000f, 1001f, float.NegativeInfinity, 999f], 1, 4);
        var y = Ops.Softmax(x).Value.ToArray();
        Assert.Equal(1.0, y.Sum(), 5);
        Assert.Equal(0f, y[2]);
        var ly = Ops.LogSoftmax(x).Value.ToArray();
        Assert.Equal(Math.Log(y[1]), ly[1], 4);
        Assert.True(float.IsNegativeInfinity(ly[2]));
    }

    [Fact]
    public void MatMulMatchesANaiveProduct()
    {
        var a = GradCheck.Rand(1, 7, 5);
        var b = GradCheck.Rand(2, 5, 3);
        var c = Ops.MatMul(a, b).Value;
        for (int i = 0; i < 7; i++)
            for (int j = 0; j < 3; j++)
            {
                double s = 0;
                for (int k = 0; k < 5; k++) s += a[i, k] * b[k, j];
                Assert.Equal(s, c[i, j], 5);
            }
    }

    [Fact]
    public void DropoutKeepsTheExpectedFractionAndScales()
    {
        var x = Tensor.Ones(100, 100);
        var y = Ops.Dropout(x, 0.25, new RandomGenerator(3)).Value.ToArray();
        int kept = y.Count(v => v != 0);
        Assert.InRange(kept, 7200, 7800);
        Assert.All(y.Where(v => v != 0), v => Assert.Equal(1f / 0.75f, v, 5));
        Assert.Same(x, Ops.Dropout(x, 0.25, new RandomGenerator(3), training: false).Value);
    }

    [Fact]
    public void LargeIntermediateGradientsAreClearedWhenTheirPooledStorageIsReused()
    {
        // 200 x 150 = 30,000 floats: above the size whose intermediate gradients come from the shared pool.
        var x = new Variable(GradCheck.Rand(5, 200, 150), requiresGrad: true);
        var t = Ops.Tanh(x);
        var loss = Ops.Sum(t * x);
        var xs = x.Value.ToArray();
        for (int pass = 1; pass <= 3; pass++)
        {
            // Leave rented-then-returned arrays full of NaN in the pool: a gradient buffer that is not cleared
            // before use would carry them into the result.
            var dirty = new float[4][];
            for (int i = 0; i < dirty.Length; i++)
            {
                dirty[i] = System.Buffers.ArrayPool<float>.Shared.Rent(30_000);
                Array.Fill(dirty[i], float.NaN);
            }
            foreach (var d in dirty) System.Buffers.ArrayPool<float>.Shared.Return(d);

            x.ZeroGrad();
            loss.Backward();
            var g = x.Grad!.ToArray();
            for (int i = 0; i < g.Length; i++)
            {
                double th = Math.Tanh(xs[i]);
                Assert.Equal(th + ((1 - (th * th)) * xs[i]), g[i], 1e-5); // d/dx x tanh(x)
            }
        }
    }
}
