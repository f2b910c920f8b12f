using Recur.Data;

namespace Recur.Tests.Data;

public class PaddedBatchTests
{
    [Fact]
    public void TokensAreTimeMajorAndPaddedAsAPlainLoop()
    {
        var rng = new RandomGenerator(5);
        var sequences = Enumerable.Range(0, 20).Select(_ => Enumerable.Range(0, 1 + rng.NextInt(9)).Select(_ => 2 + rng.NextInt(50)).ToArray()).ToList();
        int[] batch = [3, 17, 0, 9, 12];
        foreach (int? max in new int?[] { null, 4 })
        {
            var p = PaddedBatch.Tokens(sequences, batch, padId: 0, maxLength: max);
            int[] lengths = batch.Select(i => Math.Min(sequences[i].Length, max ?? int.MaxValue)).ToArray();
            Assert.Equal(lengths, p.Lengths);
            Assert.Equal(lengths.Max(), p.Steps);
            Assert.Equal(5, p.BatchSize);
            Assert.Equal(p.Steps * 5, p.Ids.Length);
            for (int t = 0; t < p.Steps; t++)
                for (int b = 0; b < 5; b++)
                    Assert.Equal(t < lengths[b] ? sequences[batch[b]][t] : 0, p.Ids[t * 5 + b]);
        }
    }

    [Fact]
    public void SeriesAreTimeMajorZeroPaddedAsAPlainLoop()
    {
        var rng = new RandomGenerator(6);
        const int f = 3;
        int[] lengths = Enumerable.Range(0, 8).Select(_ => 1 + rng.NextInt(6)).ToArray();
        var values = lengths.Select(n => Enumerable.Range(0, n * f).Select(_ => rng.NextSingle() + 1).ToArray()).ToList();
        int[] batch = [7, 2, 5];
        var p = PaddedBatch.Series(values, lengths, f, batch);
        Assert.Equal(batch.Select(i => lengths[i]), p.Lengths);
        Assert.Equal(p.Lengths.Max(), p.Steps);
        Assert.Equal(f, p.Features);
        for (int t = 0; t < p.Steps; t++)
            for (int b = 0; b < 3; b++)
                for (int k = 0; k < f; k++)
                    Assert.Equal(t < lengths[batch[b]] ? values[batch[b]][t * f + k] : 0f, p.Values[(t * 3 + b) * f + k]);
        var clipped = PaddedBatch.Series(values, lengths, f, batch, maxLength: 2);
        Assert.True(clipped.Steps <= 2);
        Assert.Equal(values[7].AsSpan(0, f).ToArray(), clipped.Values.AsSpan(0, f).ToArray());
    }

    [Fact]
    public void EmptySequencesAndMismatchedSeriesAreArgumentErrors()
    {
        Assert.Contains("Example 1 is empty", Assert.Throws<ArgumentException>(() => PaddedBatch.Tokens([[1], []], [0, 1], 0)).Message);
        Assert.Throws<ArgumentException>(() => PaddedBatch.Tokens([[1]], [], 0));
        Assert.Throws<ArgumentException>(() => PaddedBatch.Tokens([[1]], [0], 0, maxLength: 0));
        Assert.Throws<ArgumentException>(() => PaddedBatch.Series([[]], [0], 2, [0]));
        Assert.Throws<ArgumentException>(() => PaddedBatch.Series([[1f, 2f, 3f]], [2], 2, [0]));
        Assert.Throws<ArgumentException>(() => PaddedBatch.Series([[1f, 2f]], [1, 1], 2, [0]));
    }
}
