using Recur.Autograd;
using Recur.NN;

namespace Recur.Tests.NN;

public class MseLossTests
{
    [Theory]
    [InlineData(Reduction.None)]
    [InlineData(Reduction.Mean)]
    [InlineData(Reduction.Sum)]
    public void MatchesDoubleReferenceAndCentralDifferences(Reduction reduction)
    {
        var rng = new RandomGenerator(11 + (ulong)reduction);
        var input = new Variable(rng.Normal(0, 1, 3, 4), requiresGrad: true);
        var target = new Variable(rng.Normal(0, 1, 3, 4), requiresGrad: true);
        var loss = MseLoss.Compute(input, target, reduction);

        var x = Numerics.Widen(input.Value.Span);
        var y = Numerics.Widen(target.Value.Span);
        double[] Reference(double[] a, double[] b)
        {
            var l = a.Select((v, i) => (v - b[i]) * (v - b[i])).ToArray();
            return reduction switch { Reduction.None => l, Reduction.Sum => [l.Sum()], _ => [l.Average()] };
        }
        Assert.True(loss.Value.HasShape(reduction == Reduction.None ? [3, 4] : []));
        Numerics.AssertClose(Reference(x, y), loss.Value.Span, 1e-6, "loss");

        var seed = rng.Normal(0, 1, loss.Value.ShapeArray);
        loss.Backward(seed);
        var s = Numerics.Widen(seed.Span);
        double Objective(double[] a, double[] b) => Reference(a, b).Select((v, i) => v * s[i]).Sum();
        Numerics.AssertClose(Numerics.CentralDifferences(x, v => Objective(v, y)), input.Grad!.Span, 1e-6, "d loss / d input");
        Numerics.AssertClose(Numerics.CentralDifferences(y, v => Objective(x, v)), target.Grad!.Span, 1e-6, "d loss / d target");
    }

    [Fact]
    public void TargetWithoutGradientReceivesNone()
    {
        var input = new Variable(Tensor.FromArray([1f, 2f], 2), requiresGrad: true);
        var target = new Variable(Tensor.FromArray([0f, 0f], 2));
        MseLoss.Compute(input, target).Backward();
        Assert.Equal([1f, 2f], input.Grad!.ToArray());
        Assert.Null(target.Grad);
    }

    [Fact]
    public void MeanOfNothingIsNaN() => Assert.True(float.IsNaN(MseLoss.Compute(Tensor.Zeros(0), Tensor.Zeros(0)).Value.ToScalar()));

    [Fact]
    public void ShapeMismatchNamesBothShapes()
    {
        var ex = Assert.Throws<ArgumentException>(() => new MseLoss().Forward(Tensor.Zeros(2, 3), Tensor.Zeros(3, 2)));
        Assert.Contains("[2, 3]", ex.Message);
        Assert.Contains("[3, 2]", ex.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new MseLoss((Reduction)7));
    }
}
