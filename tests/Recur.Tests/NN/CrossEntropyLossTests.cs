using Recur.Autograd;
using Recur.NN;

namespace Recur.Tests.NN;

public class CrossEntropyLossTests
{
    private static readonly int[][] s_shapes = [[4], [5, 4], [3, 4, 2], [2, 3, 2, 2]];

    public static TheoryData<int, bool, long, double, Reduction> Cases()
    {
        var data = new TheoryData<int, bool, long, double, Reduction>();
        for (int shape = 0; shape < s_shapes.Length; shape++)
            foreach (bool weighted in new[] { false, true })
                foreach (long ignore in new long[] { -100, 1 })
                    foreach (double smoothing in new[] { 0.0, 0.2, 1.0 })
                        foreach (var reduction in Enum.GetValues<Reduction>())
                            data.Add(shape, weighted, ignore, smoothing, reduction);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesDoubleReferenceAndCentralDifferences(int shapeIndex, bool weighted, long ignoreIndex, double smoothing, Reduction reduction)
    {
        var shape = s_shapes[shapeIndex];
        var rng = new RandomGenerator((ulong)(1000 + shapeIndex * 97 + (weighted ? 7 : 0) + (int)(smoothing * 10) + (int)reduction * 3 + (int)ignoreIndex));
        var (logits, targets, weight) = MakeCase(rng, shape, weighted, ignoreIndex);
        var x = new Variable(logits, requiresGrad: true);
        var loss = CrossEntropyLoss.Compute(x, targets, weight, ignoreIndex, smoothing, reduction);

        var logitsD = Numerics.Widen(logits.Span);
        var weightD = weight is null ? null : Numerics.Widen(weight.Span);
        var expected = CrossEntropyReference.Loss(logitsD, shape, targets, weightD, ignoreIndex, smoothing, reduction);
        int[] expectedShape = reduction != Reduction.None || shape.Length == 1 ? [] : [shape[0], .. shape[2..]];
        Assert.True(loss.Value.HasShape(expectedShape), $"loss shape {Tensor.FormatShape(loss.Shape)}");
        Numerics.AssertClose(expected, loss.Value.Span, 1e-6, "loss");

        var seed = rng.Normal(0, 1, loss.Value.ShapeArray);  // random upstream gradient (all-ones hides mistakes)
        loss.Backward(seed);
        var numeric = CrossEntropyReference.NumericGradient(logitsD, shape, targets, weightD, ignoreIndex, smoothing, reduction, Numerics.Widen(seed.Span));
        Numerics.AssertClose(numeric, x.Grad!.Span, 1e-6, "d loss / d logits");
    }

    [Theory]
    [InlineData(Reduction.None)]
    [InlineData(Reduction.Mean)]
    [InlineData(Reduction.Sum)]
    public void BackwardAgreesWithCentralDifferencesOfItsOwnForward(Reduction reduction)
    {
        var rng = new RandomGenerator(42);
        int[] shape = [3, 5, 2];
        var (logits, targets, weight) = MakeCase(rng, shape, weighted: true, ignoreIndex: -100);
        var ce = new CrossEntropyLoss(weight, labelSmoothing: 0.1, reduction: reduction);
        var x = new Variable(logits, requiresGrad: true);
        var loss = ce.Forward(x, targets);
        var seed = rng.Normal(0, 1, loss.Value.ShapeArray);
        loss.Backward(seed);

        const float h = 1e-2f;
        var numeric = new double[logits.Length];
        for (int i = 0; i < logits.Length; i++)
        {
            float keep = logits.Span[i];
            logits.Span[i] = keep + h;
            double plus = Weighted(ce.Forward(logits, targets).Value, seed);
            logits.Span[i] = keep - h;
            double minus = Weighted(ce.Forward(logits, targets).Value, seed);
            logits.Span[i] = keep;
            numeric[i] = (plus - minus) / (2 * h);
        }
        Numerics.AssertClose(numeric, x.Grad!.Span, 1e-3, "d loss / d logits");
    }

    [Fact]
    public void IntAndLongTargetsAgree()
    {
        var logits = new RandomGenerator(3).Normal(0, 1, 4, 3);
        var a = CrossEntropyLoss.Compute(logits, new long[] { 0, 2, 1, 2 });
        var b = CrossEntropyLoss.Compute(logits, new[] { 0, 2, 1, 2 });
        Assert.Equal(a.Value.ToScalar(), b.Value.ToScalar());
    }

    [Fact]
    public void MeanOverOnlyIgnoredTargetsIsNaNWithZeroGradient()
    {
        var x = new Variable(new RandomGenerator(5).Normal(0, 1, 3, 4), requiresGrad: true);
        var loss = CrossEntropyLoss.Compute(x, new long[] { -100, -100, -100 }, labelSmoothing: 0.3);
        Assert.True(float.IsNaN(loss.Value.ToScalar()));
        loss.Backward();
        Assert.All(x.Grad!.ToArray(), g => Assert.Equal(0f, g));
    }

    [Fact]
    public void MeanWithZeroTargetWeightSumIsNaNOnNonIgnoredRows()
    {
        var x = new Variable(new RandomGenerator(6).Normal(0, 1, 3, 4), requiresGrad: true);
        var weight = Tensor.FromArray([0f, 1f, 1f, 1f], 4);
        var loss = CrossEntropyLoss.Compute(x, new long[] { 0, -100, 0 }, weight);
        Assert.True(float.IsNaN(loss.Value.ToScalar()));
        loss.Backward();
        Assert.All(x.Grad![0].ToArray(), g => Assert.True(float.IsNaN(g)));
        Assert.All(x.Grad![1].ToArray(), g => Assert.Equal(0f, g));
    }

    [Fact]
    public void LargeLogitsStayFinite()
    {
        var x = new Variable(Tensor.FromArray([1e4f, -1e4f, 0f, 3e4f, 3e4f, -3e4f], 2, 3), requiresGrad: true);
        var loss = CrossEntropyLoss.Compute(x, new[] { 1, 0 }, labelSmoothing: 0.1);
        Assert.True(float.IsFinite(loss.Value.ToScalar()));
        loss.Backward();
        Assert.All(x.Grad!.ToArray(), g => Assert.True(float.IsFinite(g)));
    }

    [Fact]
    public void BackwardTwiceDoublesTheGradient()
    {
        var x = new Variable(new RandomGenerator(8).Normal(0, 1, 4, 3), requiresGrad: true);
        var loss = CrossEntropyLoss.Compute(x, new[] { 0, 1, 2, 1 }, labelSmoothing: 0.2);
        loss.Backward();
        var once = x.Grad!.ToArray();
        loss.Backward();
        Assert.Equal(once.Select(g => 2 * g), x.Grad!.ToArray());
    }

    [Fact]
    public void BadArgumentsNameExpectedAndActualValues()
    {
        var logits = Tensor.Zeros(4, 3);
        var count = Assert.Throws<ArgumentException>(() => CrossEntropyLoss.Compute(logits, new[] { 0, 1, 2, 0, 1 }));
        Assert.Contains("[4, 3]", count.Message);
        Assert.Contains("5", count.Message);
        var range = Assert.Throws<ArgumentException>(() => CrossEntropyLoss.Compute(logits, new long[] { 0, 1, 7, 0 }));
        Assert.Contains("7", range.Message);
        Assert.Contains("C = 3", range.Message);
        Assert.Throws<ArgumentException>(() => CrossEntropyLoss.Compute(logits, new long[] { 0, -1, 2, 0 }));
        var weight = Assert.Throws<ArgumentException>(() => CrossEntropyLoss.Compute(logits, new[] { 0, 1, 2, 0 }, Tensor.Ones(4)));
        Assert.Contains("4 entries", weight.Message);
        Assert.Contains("C = 3", weight.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new CrossEntropyLoss(labelSmoothing: 1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CrossEntropyLoss(labelSmoothing: double.NaN));
        Assert.Throws<ArgumentException>(() => new CrossEntropyLoss(weight: Tensor.Ones(2, 2)));
        Assert.Throws<ArgumentException>(() => CrossEntropyLoss.Compute(Tensor.Scalar(1), new[] { 0 }));
    }

    private static (Tensor Logits, long[] Targets, Tensor? Weight) MakeCase(RandomGenerator rng, int[] shape, bool weighted, long ignoreIndex)
    {
        var logits = rng.Normal(0, 2, shape);
        int c = shape.Length == 1 ? shape[0] : shape[1];
        int rows = logits.Length / c;
        var targets = new long[rows];
        for (int r = 0; r < rows; r++) targets[r] = rng.NextDouble() < 0.25 ? ignoreIndex : rng.NextInt(c);
        targets[0] = 0;  // at least one target counts (the cases never ignore class 0)
        var weight = weighted ? rng.Uniform(0.2f, 2f, c) : null;
        return (logits, targets, weight);
    }

    private static double Weighted(Tensor loss, Tensor seed)
    {
        double s = 0;
        for (int i = 0; i < loss.Length; i++) s += (double)loss.Span[i] * seed.Span[i];
        return s;
    }
}
