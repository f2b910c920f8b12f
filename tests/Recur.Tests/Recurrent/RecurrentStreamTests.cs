// B batch, T time, I input, H hidden, P projection, G gates (LSTM 4H i,f,g,o; GRU 3H r,z,n), L layers, D directions
using Recur.NN;
using static Recur.Tests.Recurrent.RecurrentTestKit;

namespace Recur.Tests.Recurrent;

/// <summary>The streaming step path: same values as the full forward, no allocation per step, per-stream reset.</summary>
public class RecurrentStreamTests
{
    [Theory]
    [InlineData("rnn_tanh", 0, true)]
    [InlineData("rnn_relu", 0, false)]
    [InlineData("lstm", 0, true)]
    [InlineData("lstm", 2, false)]
    [InlineData("gru", 0, true)]
    [InlineData("gru", 0, false)]
    public void SteppingMatchesTheFullForward(string kind, int proj, bool bias)
    {
        const int steps = 6, batch = 3, input = 4, hidden = 5;
        var m = Make(kind, input, hidden, layers: 2, proj: proj, bias: bias, seed: 2);
        var x = Rand(1, steps, batch, input);
        var (h0, c0) = States(m, batch, 2);
        var full = m.Forward(x, h0, V(c0));
        var stream = m.CreateStream(batch);
        h0.Span.CopyTo(stream.Hidden);
        c0?.Span.CopyTo(stream.Cell);
        var y = new float[batch * m.StateSize];
        for (int t = 0; t < steps; t++)
        {
            stream.Step(x[t].Span, y);
            Close(full.Output.Value[t], Tensor.FromArray(y, batch, m.StateSize), 1e-6, $"step {t}");
        }
        Close(full.HN.Value, Tensor.FromArray(stream.Hidden.ToArray(), full.HN.Value.ShapeArray), 1e-6, "h_n");
        if (c0 is not null) Close(full.CN!.Value, Tensor.FromArray(stream.Cell.ToArray(), full.CN.Value.ShapeArray), 1e-6, "c_n");
    }

    [Theory]
    [InlineData("rnn_tanh", 0)]
    [InlineData("lstm", 3)]
    [InlineData("gru", 0)]
    public void SteppingAllocatesNothingAfterWarmUp(string kind, int proj)
    {
        var m = Make(kind, 8, 16, layers: 2, proj: proj, seed: 3);
        var stream = m.CreateStream(4);
        var x = Rand(1, 4, 8).ToArray();
        var y = new float[4 * m.StateSize];
        for (int i = 0; i < 3; i++) stream.Step(x, y);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 200; i++) stream.Step(x, y);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void ResetClearsOneStreamOrAll()
    {
        var m = Make("lstm", 2, 3, layers: 2, seed: 4);
        var stream = m.CreateStream(3);
        var x = Rand(1, 3, 2).ToArray();
        var y = new float[9];
        stream.Step(x, y);
        stream.Reset(1);
        for (int l = 0; l < 2; l++)
        {
            Assert.All(stream.Hidden.Slice((l * 3 + 1) * 3, 3).ToArray(), e => Assert.Equal(0f, e));
            Assert.All(stream.Cell.Slice((l * 3 + 1) * 3, 3).ToArray(), e => Assert.Equal(0f, e));
            Assert.Contains(stream.Hidden.Slice(l * 9, 3).ToArray(), e => e != 0f);
        }
        // A reset stream continues exactly like a fresh one.
        var fresh = m.CreateStream(3);
        var (yReset, yFresh) = (new float[9], new float[9]);
        stream.Step(x, yReset);
        fresh.Step(x, yFresh);
        Assert.Equal(yFresh.AsSpan(3, 3).ToArray(), yReset.AsSpan(3, 3).ToArray());
        stream.Reset();
        Assert.All(stream.Hidden.ToArray(), e => Assert.Equal(0f, e));
        Assert.Throws<ArgumentOutOfRangeException>(() => stream.Reset(3));
    }

    [Fact]
    public void BadStreamsAndSpansAreRejected()
    {
        Assert.Throws<NotSupportedException>(() => Make("gru", 2, 3, bidirectional: true).CreateStream(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Make("gru", 2, 3).CreateStream(0));
        var stream = Make("gru", 2, 3).CreateStream(2);
        var ex = Assert.Throws<ArgumentException>(() => stream.Step(new float[3], new float[6]));
        Assert.Contains("[2, 2]", ex.Message);
        Assert.Contains("got 3", ex.Message);
        Assert.Throws<ArgumentException>(() => stream.Step(new float[4], new float[5]));
    }
}

/// <summary>Streams whose weights exceed half a MiB split each step's gate products with a helper thread.</summary>
public class StreamHelperTests
{
    [Theory]
    [InlineData("lstm")]
    [InlineData("gru")]
    public void SplitStepsMatchOneThreadBitForBitAndTheFullForward(string kind)
    {
        const int steps = 20, input = 64, hidden = 256;
        var xs = new RandomGenerator(6).Normal(0, 1, steps, 2, input);
        var rng = new RandomGenerator(8);
        RecurrentLayer layer = kind == "lstm" ? new Lstm(input, hidden, numLayers: 2, rng: rng) : new Gru(input, hidden, numLayers: 2, rng: rng);
        float[] Stream(int threads)
        {
            int saved = Recur.Kernels.KernelThreading.MaxThreads;
            try
            {
                Recur.Kernels.KernelThreading.MaxThreads = threads;
                var stream = layer.CreateStream(2);
                var all = new float[steps * 2 * hidden];
                for (int t = 0; t < steps; t++) stream.Step(xs.Span.Slice(t * 2 * input, 2 * input), all.AsSpan(t * 2 * hidden, 2 * hidden));
                return all;
            }
            finally
            {
                Recur.Kernels.KernelThreading.MaxThreads = saved;
            }
        }
        var split = Stream(2);
        Assert.Equal(Stream(1), split);
        Recur.Autograd.Variable full;
        using (Recur.Autograd.GradMode.NoGrad()) full = layer.Forward(new Recur.Autograd.Variable(xs)).Output;
        for (int i = 0; i < split.Length; i++) Assert.Equal(full.Value.Span[i], split[i], 1e-5f);
    }
}
