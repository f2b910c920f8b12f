using Recur.Data;

namespace Recur.Tests;

public class AddingProblemTests
{
    [Fact]
    public void TwoMarkersOneInEachHalfAndTheTargetIsTheirSum()
    {
        const int t = 11, b = 50;
        var (x, y) = AddingProblem.Batch(new RandomGenerator(1), t, b);
        for (int j = 0; j < b; j++)
        {
            var marked = Enumerable.Range(0, t).Where(s => x[s, j, 1] == 1f).ToArray();
            Assert.Equal(2, marked.Length);
            Assert.InRange(marked[0], 0, t / 2 - 1);
            Assert.InRange(marked[1], t / 2, t - 1);
            Assert.Equal(x[marked[0], j, 0] + x[marked[1], j, 0], y[j, 0]);
            Assert.All(Enumerable.Range(0, t), s => Assert.InRange(x[s, j, 0], 0f, 1f));
        }
    }

    [Fact]
    public void PredictingOneGivesTheDocumentedBaseline()
    {
        var (_, y) = AddingProblem.Batch(new RandomGenerator(2), 20, 100_000);
        double mse = y.ToArray().Average(v => (v - 1.0) * (v - 1.0));
        Assert.InRange(mse, AddingProblem.BaselineMse - 0.003, AddingProblem.BaselineMse + 0.003);
    }

    [Fact]
    public void BadSizesAreRejected()
    {
        var rng = new RandomGenerator(3);
        Assert.Throws<ArgumentOutOfRangeException>(() => AddingProblem.Batch(rng, 1, 4));
        var ex = Assert.Throws<ArgumentException>(() => AddingProblem.Fill(rng, 5, 2, new float[19], new float[2]));
        Assert.Contains("[5, 2, 2]", ex.Message);
    }
}
