using Recur.Data;

namespace Recur.Tests.Data;

public class StratifiedSplitTests
{
    // 600 of class 0, 300 of class 1, 100 of class 2, 3 of class 3, 1 of class 4, interleaved.
    private static int[] Labels()
    {
        var labels = new List<int>();
        labels.AddRange(Enumerable.Repeat(0, 600));
        labels.AddRange(Enumerable.Repeat(1, 300));
        labels.AddRange(Enumerable.Repeat(2, 100));
        labels.AddRange([3, 3, 3, 4]);
        var rng = new RandomGenerator(7);
        int[] a = labels.ToArray();
        rng.Shuffle<int>(a);
        return a;
    }

    [Fact]
    public void EachClassKeepsItsShare()
    {
        int[] labels = Labels();
        var (train, dev) = StratifiedSplit.Split(labels, 0.1, seed: 42);
        int DevOf(int c) => dev.Count(i => labels[i] == c);
        Assert.Equal(60, DevOf(0));
        Assert.Equal(30, DevOf(1));
        Assert.Equal(10, DevOf(2));
        Assert.Equal(1, DevOf(3)); // round(0.3) = 0, but a class of 2+ gives dev one
        Assert.Equal(0, DevOf(4)); // a single example stays in training
        Assert.Equal(labels.Length - dev.Length, train.Length);
    }

    [Fact]
    public void TrainAndDevAreDisjointCompleteAndAscending()
    {
        int[] labels = Labels();
        var (train, dev) = StratifiedSplit.Split(labels, 0.25, seed: 3);
        Assert.Empty(train.Intersect(dev));
        Assert.Equal(Enumerable.Range(0, labels.Length), train.Concat(dev).Order());
        Assert.Equal(train.Order(), train);
        Assert.Equal(dev.Order(), dev);
    }

    [Fact]
    public void TheSameSeedGivesTheSameSplitAndAnotherSeedAnother()
    {
        int[] labels = Labels();
        var a = StratifiedSplit.Split(labels, 0.1, seed: 5);
        var b = StratifiedSplit.Split(labels, 0.1, seed: 5);
        var c = StratifiedSplit.Split(labels, 0.1, seed: 6);
        Assert.Equal(a.Dev, b.Dev);
        Assert.Equal(a.Train, b.Train);
        Assert.NotEqual(a.Dev, c.Dev);
    }

    [Fact]
    public void EdgeFractionsAndBadArguments()
    {
        var (train, dev) = StratifiedSplit.Split([0, 0, 1, 1], 0, seed: 1);
        Assert.Equal([0, 1, 2, 3], train);
        Assert.Empty(dev);
        var (t2, d2) = StratifiedSplit.Split([0, 0, 1, 1], 0.9, seed: 1); // keeps one of each class for training
        Assert.Equal(2, t2.Length);
        Assert.Equal(2, d2.Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => StratifiedSplit.Split([0], 1.0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => StratifiedSplit.Split([0], -0.1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => StratifiedSplit.Split([0, -1], 0.5, 1));
    }
}
