// B batch, T time, I input, H hidden, P projection, G gates (LSTM 4H i,f,g,o; GRU 3H r,z,n), L layers, D directions
using Recur.NN;
using static Recur.Tests.Recurrent.RecurrentTestKit;

namespace Recur.Tests.Recurrent;

/// <summary>The streaming step path: same values as the full forward, no allocation per step, per-stream reset.</summary>
[Collection(GlobalKernelState.Name)]
public class RecurrentStreamTests
{
    [Theory]
    [InlineData("rnn_tanh", 0, true, 3)]
    [InlineData("rnn_relu", 0, false, 3)]
    [InlineData("lstm", 0, true, 3)]
    [InlineData("lstm", 2, false, 3)]
    [InlineData("gru", 0, true, 3)]
    [InlineData("gru", 0, false, 3)]
    [InlineData("lstm", 0, true, 20)] // more than 16 streams: weights read in place
    [InlineData("gru", 0, true, 17)]
    [InlineData("rnn_relu", 0, true, 18)]
    [InlineData("lstm", 2, true, 2)]
    [InlineData("gru", 0, true, 5)]
    [InlineData("rnn_tanh", 0, true, 1)] // up to 16 streams: packed weights (PanelGemv)
    [InlineData("rnn_relu", 0, false, 1)]
    [InlineData("lstm", 0, true, 1)]
    [InlineData("lstm", 2, true, 1)]
    [InlineData("lstm", 0, false, 1)]
    [InlineData("gru", 0, true, 1)]
    [InlineData("gru", 0, false, 1)]
    public void SteppingMatchesTheFullForward(string kind, int proj, bool bias, int batch)
    {
        const int steps = 6, input = 4, hidden = 5;
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
    [InlineData("rnn_tanh", 0, 4, 2)]
    [InlineData("lstm", 3, 4, 2)]
    [InlineData("lstm", 3, 4, 1)]
    [InlineData("gru", 0, 4, 2)]
    [InlineData("gru", 0, 4, 1)]
    [InlineData("lstm", 0, 1, 2)]
    [InlineData("lstm", 0, 1, 1)]
    [InlineData("gru", 0, 1, 2)]
    public void SteppingAllocatesNothingAfterWarmUp(string kind, int proj, int batch, int threads)
    {
        int saved = Recur.Kernels.KernelThreading.MaxThreads;
        try
        {
            Recur.Kernels.KernelThreading.MaxThreads = threads;
            var m = Make(kind, 8, 16, layers: 2, proj: proj, seed: 3);
            var stream = m.CreateStream(batch);
            var x = Rand(1, batch, 8).ToArray();
            var y = new float[batch * m.StateSize];
            for (int i = 0; i < 3; i++) stream.Step(x, y);
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 200; i++) stream.Step(x, y);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal(0, allocated);
        }
        finally
        {
            Recur.Kernels.KernelThreading.MaxThreads = saved;
        }
    }

    [Theory]
    [InlineData("lstm", 1)]
    [InlineData("gru", 3)]
    [InlineData("rnn_tanh", 1)]
    [InlineData("lstm", 17)] // more than 16 streams: packed for the blocked GEMM
    [InlineData("gru", 20)]
    public void PackedStreamsFollowWeightChanges(string kind, int batch)
    {
        // The weights are packed once; optimizer steps, LoadStateDict and MarkChanged make them repack.
        var m = Make(kind, 4, 6, layers: 2, seed: 9);
        var x = Rand(2, batch, 4).ToArray();
        var stream = m.CreateStream(batch);
        var y = new float[batch * 6];
        stream.Step(x, y);

        float[] StepFromZero(RecurrentStream s)
        {
            s.Reset();
            var o = new float[batch * 6];
            s.Step(x, o);
            return o;
        }

        // An optimizer step changes every weight.
        var optimizer = new Recur.Optim.Sgd(m.Parameters(), learningRate: 0.5);
        foreach (var p in m.Parameters()) p.Grad = Rand(3, p.Value.ShapeArray);
        optimizer.Step();
        var afterStep = StepFromZero(stream);
        Assert.Equal(StepFromZero(m.CreateStream(batch)), afterStep);
        Assert.NotEqual(y, afterStep);

        // A direct write is seen once it is marked.
        var wIh = m.Parameters().First(p => p.Value.Rank == 2 && p.Value.Size(1) == 4); // weight_ih_l0: used from a zero state
        wIh.Value.Span.Fill(0.25f);
        wIh.MarkChanged();
        var afterWrite = StepFromZero(stream);
        Assert.Equal(StepFromZero(m.CreateStream(batch)), afterWrite);
        Assert.NotEqual(afterStep, afterWrite);

        // LoadStateDict from another module.
        var other = Make(kind, 4, 6, layers: 2, seed: 10);
        m.LoadStateDict(other.StateDict());
        Assert.Equal(StepFromZero(other.CreateStream(batch)), StepFromZero(stream));
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
[Collection(GlobalKernelState.Name)]
public class StreamHelperTests
{
    [Theory]
    [InlineData("lstm", 2)]
    [InlineData("gru", 2)]
    [InlineData("lstm", 1)] // up to 16 streams: packed panels split between the threads
    [InlineData("gru", 1)]
    [InlineData("lstm", 3)]
    [InlineData("gru", 16)]
    [InlineData("lstm", 17)]
    public void SplitStepsMatchOneThreadBitForBitAndTheFullForward(string kind, int batch)
    {
        const int steps = 20, input = 64, hidden = 256;
        var xs = new RandomGenerator(6).Normal(0, 1, steps, batch, input);
        var rng = new RandomGenerator(8);
        RecurrentLayer layer = kind == "lstm" ? new Lstm(input, hidden, numLayers: 2, rng: rng) : new Gru(input, hidden, numLayers: 2, rng: rng);
        float[] Stream(int threads)
        {
            int saved = Recur.Kernels.KernelThreading.MaxThreads;
            try
            {
                Recur.Kernels.KernelThreading.MaxThreads = threads;
                var stream = layer.CreateStream(batch);
                var all = new float[steps * batch * hidden];
                for (int t = 0; t < steps; t++) stream.Step(xs.Span.Slice(t * batch * input, batch * input), all.AsSpan(t * batch * hidden, batch * hidden));
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
