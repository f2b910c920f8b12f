using Recur.Data;

namespace Recur.Tests.Data;

public class BucketBatcherTests
{
    // A skewed distribution: most examples short, a long tail.
    private static int[] SkewedLengths(int n)
    {
        var rng = new RandomGenerator(11);
        return Enumerable.Range(0, n).Select(_ => 1 + (int)(200 * Math.Pow(rng.NextDouble(), 4))).ToArray();
    }

    private static List<int[]> Epoch(BucketBatcher b) => Enumerable.Range(0, b.BatchesPerEpoch).Select(_ => b.Next()).ToList();

    [Fact]
    public void EveryExampleExactlyOncePerEpochAndTheLastBatchMayBeSmaller()
    {
        int[] lengths = SkewedLengths(1003);
        var b = new BucketBatcher(lengths, batchSize: 32, seed: 1, bucketFactor: 5);
        Assert.Equal(32, b.BatchesPerEpoch); // ceil(1003 / 32)
        for (int e = 0; e < 3; e++)
        {
            var batches = Epoch(b);
            Assert.Equal(Enumerable.Range(0, 1003), batches.SelectMany(x => x).Order());
            Assert.Equal(1, batches.Count(x => x.Length < 32));
            Assert.Equal(1003 % 32, batches.Single(x => x.Length < 32).Length);
            Assert.Equal(e + 1, b.Epoch);
            Assert.True(b.EpochCompleted);
            Assert.Equal(0, b.Position);
        }
    }

    [Fact]
    public void DropLastDropsThePartialBatch()
    {
        var b = new BucketBatcher(SkewedLengths(100), batchSize: 32, seed: 2, dropLast: true);
        Assert.Equal(3, b.BatchesPerEpoch);
        var batches = Epoch(b);
        Assert.All(batches, x => Assert.Equal(32, x.Length));
        Assert.Equal(96, batches.SelectMany(x => x).Distinct().Count());
        Assert.Throws<ArgumentException>(() => new BucketBatcher([1, 2], 4, 0, dropLast: true));
    }

    [Fact]
    public void BucketingPadsLessThanRandomBatches()
    {
        int[] lengths = SkewedLengths(5000);
        long Padding(BucketBatcher b) => Epoch(b).Sum(x => (long)x.Length * x.Max(i => lengths[i]) - x.Sum(i => (long)lengths[i]));
        long bucketed = Padding(new BucketBatcher(lengths, 32, seed: 3, bucketFactor: 50));
        long random = Padding(new BucketBatcher(lengths, 32, seed: 3, bucketFactor: 1));
        Assert.True(bucketed * 4 < random, $"bucketed padding {bucketed}, random {random}");
    }

    [Fact]
    public void SeededDeterministicAndEpochsDiffer()
    {
        int[] lengths = SkewedLengths(500);
        var a = Epoch(new BucketBatcher(lengths, 16, seed: 9));
        var b = Epoch(new BucketBatcher(lengths, 16, seed: 9));
        Assert.Equal(a, b);
        var c = Epoch(new BucketBatcher(lengths, 16, seed: 10));
        Assert.NotEqual(a, c);
        var twice = new BucketBatcher(lengths, 16, seed: 9);
        var first = Epoch(twice);
        var second = Epoch(twice);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void SavedStateResumesTheExactSequence()
    {
        int[] lengths = SkewedLengths(300);
        var original = new BucketBatcher(lengths, 8, seed: 4, bucketFactor: 3); // 38 batches per epoch
        for (int i = 0; i < 17; i++) original.Next();
        var state = original.GetState();
        Assert.Equal(new BatcherState(0, 17), state);
        var resumed = new BucketBatcher(lengths, 8, seed: 4, bucketFactor: 3);
        resumed.SetState(state);
        for (int i = 0; i < 100; i++) // across two epoch boundaries
        {
            Assert.Equal(original.Next(), resumed.Next());
            Assert.Equal(original.GetState(), resumed.GetState());
            Assert.Equal(original.EpochCompleted, resumed.EpochCompleted);
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => resumed.SetState(new BatcherState(0, 38)));
        Assert.Throws<ArgumentOutOfRangeException>(() => resumed.SetState(new BatcherState(-1, 0)));
    }

    [Fact]
    public void WithoutShuffleTheOrderIsKept()
    {
        var b = new BucketBatcher([5, 4, 3, 2, 1], batchSize: 2, seed: 0, shuffle: false, bucketFactor: 1);
        Assert.Equal([[1, 0], [3, 2], [4]], Epoch(b));
    }

    [Fact]
    public void OrderedBatchesSortByLengthAndHoldEveryExampleOnce()
    {
        int[] lengths = SkewedLengths(101);
        int[][] batches = BucketBatcher.Ordered(lengths, 10);
        Assert.Equal(11, batches.Length);
        int[] flat = batches.SelectMany(x => x).ToArray();
        Assert.Equal(Enumerable.Range(0, 101), flat.Order());
        Assert.Equal(flat.Select(i => lengths[i]).Order(), flat.Select(i => lengths[i]));
        Assert.Single(batches[^1]);
    }
}
