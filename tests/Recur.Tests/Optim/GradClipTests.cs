using Recur.Autograd;
using Recur.Optim;

namespace Recur.Tests.Optim;

public class GradClipTests
{
    [Theory]
    [InlineData(2.0, 1.0)]
    [InlineData(1.0, 3.0)]
    [InlineData(3.0, 0.5)]
    [InlineData(double.PositiveInfinity, 0.7)]
    [InlineData(2.0, 1000.0)]
    public void MatchesPyTorchFormulaInDouble(double normType, double maxNorm)
    {
        var rng = new RandomGenerator(31);
        Parameter[] ps = [new(Tensor.Zeros(3, 4)) { Grad = rng.Normal(0, 1, 3, 4) }, new(Tensor.Zeros(2)), new(Tensor.Zeros(5)) { Grad = rng.Normal(0, 2, 5) }];
        var grads = ps.Select(p => p.Grad is null ? null : Numerics.Widen(p.Grad.Span)).ToArray();
        double expected = ReferenceOptimizer.ClipGradNorm(grads, maxNorm, normType);

        float total = GradClip.ClipGradNorm(ps, maxNorm, normType);
        Numerics.AssertClose([expected], [total], 1e-6, "total norm");
        Numerics.AssertClose(grads[0], ps[0].Grad!.Span, 1e-6, "clipped grad 0");
        Numerics.AssertClose(grads[2], ps[2].Grad!.Span, 1e-6, "clipped grad 2");
        Assert.Null(ps[1].Grad);
    }

    [Fact]
    public void GradientsUnderTheLimitAreLeftBitForBit()
    {
        var g = new RandomGenerator(2).Normal(0, 1, 10);
        var p = new Parameter(Tensor.Zeros(10)) { Grad = g.Clone() };
        GradClip.ClipGradNorm([p], 100);
        Assert.Equal(g.ToArray(), p.Grad.ToArray());
    }

    [Fact]
    public void NoGradientsGiveZero() => Assert.Equal(0f, GradClip.ClipGradNorm([new Parameter(Tensor.Ones(2))], 1));

    [Fact]
    public void NonFiniteNormsPropagateOrThrowOnRequest()
    {
        Parameter[] ps = [new(Tensor.Zeros(2)) { Grad = Tensor.FromArray([float.NaN, 1f], 2) }];
        Assert.True(float.IsNaN(GradClip.ClipGradNorm(ps, 1)));
        Assert.True(float.IsNaN(GradClip.ClipGradNorm(ps, 1, double.PositiveInfinity)));
        Assert.Contains("NaN", Assert.Throws<InvalidOperationException>(() => GradClip.ClipGradNorm(ps, 1, errorIfNonfinite: true)).Message);
    }

    [Fact]
    public void ClipGradValueClampsEachElement()
    {
        var p = new Parameter(Tensor.Zeros(4)) { Grad = Tensor.FromArray([-3f, -0.5f, 0.25f, 7f], 4) };
        GradClip.ClipGradValue([p, new Parameter(Tensor.Zeros(1))], 1);
        Assert.Equal([-1f, -0.5f, 0.25f, 1f], p.Grad.ToArray());
    }

    [Fact]
    public void BadArgumentsNameTheValue()
    {
        Parameter[] ps = [new(Tensor.Zeros(1))];
        Assert.Contains("-1", Assert.Throws<ArgumentOutOfRangeException>(() => GradClip.ClipGradNorm(ps, -1)).Message);
        Assert.Contains("0", Assert.Throws<ArgumentOutOfRangeException>(() => GradClip.ClipGradNorm(ps, 1, 0)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => GradClip.ClipGradNorm(ps, double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => GradClip.ClipGradValue(ps, -0.5));
        Assert.Throws<ArgumentException>(() => GradClip.ClipGradNorm([null!], 1));
    }
}
