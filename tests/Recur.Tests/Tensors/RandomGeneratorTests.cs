namespace Recur.Tests.Tensors;

public class RandomGeneratorTests
{
    [Fact]
    public void SameSeedSameSequenceDifferentSeedDifferentSequence()
    {
        var a = new RandomGenerator(42).Uniform(0, 1, 100).ToArray();
        var b = new RandomGenerator(42).Uniform(0, 1, 100).ToArray();
        var c = new RandomGenerator(43).Uniform(0, 1, 100).ToArray();
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void StateRoundTripResumesTheExactSequence()
    {
        var g = new RandomGenerator(7);
        g.NextNormal(); // leaves a spare normal in the state
        var state = g.GetState();
        var expected = Enumerable.Range(0, 10).Select(_ => g.NextNormal()).ToArray();
        var h = new RandomGenerator(999);
        h.SetState(state);
        var got = Enumerable.Range(0, 10).Select(_ => h.NextNormal()).ToArray();
        Assert.Equal(expected, got);
    }

    [Fact]
    public void DistributionsHaveTheRightMoments()
    {
        var g = new RandomGenerator(1);
        const int n = 200_000;
        var u = g.Uniform(-2, 4, n).ToArray();
        Assert.InRange(u.Min(), -2f, 4f);
        Assert.InRange(u.Max(), -2f, 4f);
        Assert.InRange(u.Average(), 0.97, 1.03);                 // mean 1
        Assert.InRange(u.Select(x => (x - 1.0) * (x - 1.0)).Average(), 2.95, 3.05); // var 36/12

        var z = g.Normal(0.5f, 2f, n).ToArray();
        Assert.InRange(z.Average(), 0.48, 0.52);
        Assert.InRange(z.Select(x => (x - 0.5) * (x - 0.5)).Average(), 3.9, 4.1);

        var bern = g.Bernoulli(0.3, n).ToArray();
        Assert.All(bern, x => Assert.True(x == 0f || x == 1f));
        Assert.InRange(bern.Average(), 0.295, 0.305);

        var counts = new int[7];
        for (int i = 0; i < 70_000; i++) counts[g.NextInt(7)]++;
        Assert.All(counts, k => Assert.InRange(k, 9_500, 10_500));
    }

    [Fact]
    public void BadArgumentsAreRejected()
    {
        var g = new RandomGenerator(1);
        Assert.Throws<ArgumentException>(() => g.Bernoulli(1.5, 3));
        Assert.Throws<ArgumentException>(() => g.Uniform(1, 0, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => g.NextInt(0));
        Assert.Throws<ArgumentException>(() => g.SetState(new RandomState(0, 0, 0, 0, false, 0)));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.1)]
    [InlineData(0.3)]
    [InlineData(0.5)]
    [InlineData(1.0)]
    [InlineData(1e-17)]
    [InlineData(0.9999999999999999)]
    public void KeepMasksDrawWhatALoopOverNextDoubleDraws(double p)
    {
        var a = new RandomGenerator(42);
        var b = new RandomGenerator(42);
        var mask = new float[1003];
        a.FillKeepMask(mask, p, 1.25f);
        var expected = Enumerable.Range(0, mask.Length).Select(_ => b.NextDouble() >= p ? 1.25f : 0f).ToArray();
        Assert.Equal(expected, mask);
        Assert.Equal(b.GetState(), a.GetState());
    }
}
