using Recur.Autograd;
using Recur.Kernels;
using Recur.NN;

namespace Recur.Tests.Recurrent;

/// <summary>
/// The same recurrent forward and backward on one thread and on two give bit-identical results: kernels split work
/// only over rows and columns of their outputs, never over a reduction.
/// </summary>
[Collection(GlobalKernelState.Name)]
public class ParallelSerialTests
{
    [Theory]
    [InlineData("lstm")]
    [InlineData("gru")]
    [InlineData("lstm-proj-states")]
    [InlineData("rnn-states")]
    public void OneAndTwoThreadsGiveIdenticalOutputsAndGradients(string cell)
    {
        var one = Run(cell, threads: 1);
        var two = Run(cell, threads: 2);
        Assert.Equal(one.Count, two.Count);
        for (int i = 0; i < one.Count; i++) Assert.Equal(one[i], two[i]);
    }

    private static List<float[]> Run(string cell, int threads)
    {
        int saved = KernelThreading.MaxThreads;
        try
        {
            KernelThreading.MaxThreads = threads;
            var rng = new RandomGenerator(11);
            // Large enough that the input projection and weight-gradient GEMMs pass the threading threshold.
            RecurrentLayer layer = cell switch
            {
                "lstm" => new Lstm(96, 128, numLayers: 2, bidirectional: true, rng: rng),
                "gru" => new Gru(96, 128, numLayers: 2, bidirectional: true, rng: rng),
                "lstm-proj-states" => new Lstm(96, 128, numLayers: 2, bidirectional: true, projSize: 64, rng: rng),
                _ => new Rnn(96, 128, numLayers: 2, bidirectional: true, rng: rng),
            };
            var x = new Variable(rng.Normal(0, 1, 12, 48, 96), requiresGrad: true);
            bool states = cell.EndsWith("states", StringComparison.Ordinal);
            var h0 = states ? new Variable(rng.Normal(0, 1, 4, 48, layer.StateSize), requiresGrad: true) : null;
            var c0 = states && layer is Lstm ? new Variable(rng.Normal(0, 1, 4, 48, 128), requiresGrad: true) : null;
            var (y, hN, _) = layer.Forward(x, h0, c0, lengths: Enumerable.Range(0, 48).Select(b => 12 - b % 5).ToArray());
            var seed = new RandomGenerator(12).Uniform(-1, 1, y.Value.ShapeArray);
            y.Backward(seed);
            var results = new List<float[]> { y.Value.ToArray(), hN.Value.ToArray(), x.Grad!.ToArray() };
            if (h0 is not null) results.Add(h0.Grad!.ToArray());
            if (c0 is not null) results.Add(c0.Grad!.ToArray());
            results.AddRange(layer.Parameters().Select(p => p.Grad!.ToArray()));
            return results;
        }
        finally
        {
            KernelThreading.MaxThreads = saved;
        }
    }
}
