using Recur.Autograd;
using Recur.NN;
using Recur.Tests.Autograd;

namespace Recur.Tests.NN;

public class SequencePoolingTests
{
    private static readonly int[] Lengths = [5, 2, 1, 4];

    // [T, B, F] with T = 5, B = 4, F = 3, zero past each length as a packed recurrent output is.
    private static Tensor Outputs(int seed)
    {
        var x = GradCheck.Rand(seed, 5, 4, 3);
        var s = x.Span;
        for (int t = 0; t < 5; t++)
            for (int b = 0; b < 4; b++)
                if (t >= Lengths[b]) s.Slice(((t * 4) + b) * 3, 3).Clear();
        return x;
    }

    private static float[] Reference(Tensor x, bool max)
    {
        var s = x.Span;
        var y = new float[4 * 3];
        for (int b = 0; b < 4; b++)
            for (int f = 0; f < 3; f++)
            {
                double acc = max ? double.NegativeInfinity : 0;
                for (int t = 0; t < Lengths[b]; t++)
                {
                    float v = s[((t * 4) + b) * 3 + f];
                    acc = max ? Math.Max(acc, v) : acc + v;
                }
                y[(b * 3) + f] = (float)(max ? acc : acc / Lengths[b]);
            }
        return y;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void MaxAndMeanOverTimeMatchAPlainLoopAndTheirGradients(bool max)
    {
        var x = Outputs(1);
        // Padded zeros must not win a maximum of negative values.
        x.Span[0] = -5f;
        var y = max ? Ops.MaxOverTime(x, Lengths) : Ops.MeanOverTime(x, Lengths);
        var expected = Reference(x, max);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], y.Value.Span[i], 5);
        GradCheck.Check(v => max ? Ops.MaxOverTime(v[0], Lengths) : Ops.MeanOverTime(v[0], Lengths), [Outputs(2)]);
    }

    [Fact]
    public void PaddedStepsGetNoGradient()
    {
        foreach (var mode in new[] { PoolingMode.Max, PoolingMode.Mean, PoolingMode.Attention })
        {
            var pool = new SequencePooling(mode, 3, 4, new RandomGenerator(7));
            var x = new Variable(Outputs(3), requiresGrad: true);
            Ops.Sum(pool.Forward(x, Lengths)).Backward();
            var g = x.Grad!.Span;
            for (int t = 0; t < 5; t++)
                for (int b = 0; b < 4; b++)
                    if (t >= Lengths[b]) Assert.All(g.Slice(((t * 4) + b) * 3, 3).ToArray(), v => Assert.Equal(0f, v));
        }
    }

    [Fact]
    public void AttentionGivesPaddingExactlyZeroWeightAndMatchesAPlainLoop()
    {
        var pool = new SequencePooling(PoolingMode.Attention, 3, 4, new RandomGenerator(7));
        var x = Outputs(4);
        var y = pool.Forward(x, Lengths).Value.Span;
        var w = pool.LastWeights!.Span; // [T, B]
        var wa = pool.Attention!.Weight.Value.Span;
        var ba = pool.Attention.Bias!.Value.Span;
        var v = pool.Context!.Weight.Value.Span;
        var s = x.Span;
        for (int b = 0; b < 4; b++)
        {
            var scores = new double[Lengths[b]];
            for (int t = 0; t < Lengths[b]; t++)
            {
                double e = 0;
                for (int a = 0; a < 4; a++)
                {
                    double z = ba[a];
                    for (int f = 0; f < 3; f++) z += wa[(a * 3) + f] * s[((t * 4) + b) * 3 + f];
                    e += v[a] * Math.Tanh(z);
                }
                scores[t] = e;
            }
            double mx = scores.Max(), sum = scores.Sum(e => Math.Exp(e - mx));
            for (int t = 0; t < 5; t++)
            {
                if (t >= Lengths[b]) Assert.Equal(0f, w[(t * 4) + b]); // exactly zero
                else Assert.Equal(Math.Exp(scores[t] - mx) / sum, w[(t * 4) + b], 5);
            }
            for (int f = 0; f < 3; f++)
            {
                double expected = 0;
                for (int t = 0; t < Lengths[b]; t++) expected += Math.Exp(scores[t] - mx) / sum * s[((t * 4) + b) * 3 + f];
                Assert.Equal(expected, y[(b * 3) + f], 5);
            }
        }
    }

    [Fact]
    public void AttentionGradientsMatchCentralDifferencesForInputsAndWeights()
    {
        var pool = new SequencePooling(PoolingMode.Attention, 3, 4, new RandomGenerator(8));
        GradCheck.Check(v => pool.Forward(v[0], Lengths), [Outputs(5)]);
        GradCheck.CheckParameters(() => pool.Forward(Outputs(6), Lengths), pool);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void LastJoinsTheFinalStateOfEachDirection(bool bidirectional)
    {
        var gru = new Gru(3, 4, numLayers: 2, bidirectional: bidirectional, rng: new RandomGenerator(9));
        var x = GradCheck.Rand(10, 5, 4, 3);
        var r = gru.Forward(x, lengths: Lengths);
        int d = bidirectional ? 2 : 1;
        var pool = new SequencePooling(PoolingMode.Last, d * 4);
        var y = pool.Forward(r.Output, Lengths, r.HN).Value;
        var o = r.Output.Value.Span;
        for (int b = 0; b < 4; b++)
        {
            // Forward direction: the output at the sequence's last step; backward direction: the output at step 0.
            var forward = o.Slice((((Lengths[b] - 1) * 4) + b) * d * 4, 4).ToArray();
            Assert.Equal(forward, y[b].Span[..4].ToArray());
            if (bidirectional) Assert.Equal(o.Slice((b * d * 4) + 4, 4).ToArray(), y[b].Span[4..].ToArray());
        }
        GradCheck.Check(v => pool.Forward(r.Output, Lengths, v[0]), [GradCheck.Rand(11, 2 * d, 4, 4)]);
    }
}
