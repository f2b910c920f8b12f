using Recur.Autograd;
using Recur.Models;
using Recur.NN;

namespace Recur.Tests.CharLm;

[Collection(GlobalKernelState.Name)]
public class CharLmSamplerTests
{
    private static Recur.Models.CharLm Model(string cell) => new(new CharLmConfig { Cell = cell, VocabSize = 11, EmbeddingSize = 6, HiddenSize = 8, Layers = 2 }, new RandomGenerator(5));

    [Theory]
    [InlineData("lstm")]
    [InlineData("gru")]
    [InlineData("rnn")]
    public void StreamingLogitsMatchTheFullForward(string cell)
    {
        var model = Model(cell);
        int[] ids = [3, 1, 4, 1, 5, 9, 2, 6];
        model.Eval();
        Tensor full;
        using (GradMode.NoGrad()) full = model.Forward(ids, ids.Length, 1).Logits.Value; // [T, V]
        var sampler = new CharLmSampler(model);
        for (int t = 0; t < ids.Length; t++)
        {
            sampler.Feed(ids[t]);
            var expected = full[t].Span;
            for (int v = 0; v < 11; v++) Assert.Equal(expected[v], sampler.Logits[v], 1e-5f);
        }
    }

    [Fact]
    public void TopOneIsGreedyAndSamplingAllocatesNothing()
    {
        var model = Model("lstm");
        var a = new CharLmSampler(model);
        var b = new CharLmSampler(model);
        a.Feed(2);
        b.Feed(2);
        for (int i = 0; i < 20; i++)
        {
            int x = a.Sample(1.0, 1, new RandomGenerator(1));
            int y = b.Sample(1.0, 1, new RandomGenerator(99));
            Assert.Equal(x, y);
            Assert.Equal(a.Logits.ToArray().Select((l, j) => (l, j)).MaxBy(p => p.l).j, x);
            a.Feed(x);
            b.Feed(y);
        }

        var rng = new RandomGenerator(3);
        a.Feed(a.Sample(0.8, 3, rng)); // warm up
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++) a.Feed(a.Sample(0.8, 3, rng));
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
