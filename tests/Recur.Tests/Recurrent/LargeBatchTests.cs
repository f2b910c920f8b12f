using Recur.Autograd;
using Recur.NN;

namespace Recur.Tests.Recurrent;

/// <summary>
/// Batches of 13 or more rows take the pre-packed recurrent GEMM; single sequences take the small unpacked paths.
/// Both must give the same outputs and gradients.
/// </summary>
[Collection(GlobalKernelState.Name)]
public class LargeBatchTests
{
    [Theory]
    [InlineData("lstm", false)]
    [InlineData("gru", false)]
    [InlineData("rnn", true)]
    [InlineData("lstm", true)]
    public void ABatchOf16MatchesSixteenSingleSequences(string kind, bool bidirectional)
    {
        const int steps = 4, batch = 16, input = 5;
        var x = new RandomGenerator(11).Normal(0, 1, steps, batch, input);
        var layer = Create(kind, bidirectional);
        var output = layer.Forward(new Variable(x)).Output;
        Ops.Sum(Ops.Mul(output, output)).Backward();
        var batchGrads = layer.Parameters().Select(p => p.Grad!.Span.ToArray()).ToList();
        var batchOut = output.Value.Span.ToArray();

        var single = Create(kind, bidirectional);
        int width = layer.OutputSize;
        for (int b = 0; b < batch; b++)
        {
            var xb = new Tensor(steps, 1, input);
            for (int t = 0; t < steps; t++) x.Span.Slice(((t * batch) + b) * input, input).CopyTo(xb.Span.Slice(t * input, input));
            var ob = single.Forward(new Variable(xb)).Output;
            Ops.Sum(Ops.Mul(ob, ob)).Backward();
            for (int t = 0; t < steps; t++)
            {
                for (int j = 0; j < width; j++)
                    Assert.Equal(batchOut[(((t * batch) + b) * width) + j], ob.Value.Span[(t * width) + j], 1e-5f);
            }
        }
        var singleGrads = single.Parameters().Select(p => p.Grad!.Span.ToArray()).ToList();
        for (int p = 0; p < batchGrads.Count; p++)
        {
            for (int i = 0; i < batchGrads[p].Length; i++)
                Assert.True(Math.Abs(batchGrads[p][i] - singleGrads[p][i]) <= 1e-4f * (1 + Math.Abs(singleGrads[p][i])), $"parameter {p} element {i}: {batchGrads[p][i]} vs {singleGrads[p][i]}");
        }
    }

    private static RecurrentLayer Create(string kind, bool bidirectional)
    {
        var rng = new RandomGenerator(3);
        return kind switch
        {
            "lstm" => new Lstm(5, 7, numLayers: 2, bidirectional: bidirectional, rng: rng),
            "gru" => new Gru(5, 7, bidirectional: bidirectional, rng: rng),
            _ => new Rnn(5, 7, bidirectional: bidirectional, rng: rng),
        };
    }
}

/// <summary>Steps big enough to split their rows across threads give bitwise the serial result.</summary>
[Collection(GlobalKernelState.Name)]
public class ParallelStepTests
{
    [Theory]
    [InlineData("lstm")]
    [InlineData("gru")]
    public void RowSplitStepsMatchOneThreadBitForBit(string kind)
    {
        var x = new Variable(new RandomGenerator(4).Normal(0, 1, 3, 64, 8));
        float[] Run(int threads)
        {
            int saved = Recur.Kernels.KernelThreading.MaxThreads;
            try
            {
                Recur.Kernels.KernelThreading.MaxThreads = threads;
                var rng = new RandomGenerator(9);
                RecurrentLayer layer = kind == "lstm" ? new Lstm(8, 128, rng: rng) : new Gru(8, 160, rng: rng);
                var output = layer.Forward(x).Output;
                Ops.Sum(Ops.Mul(output, output)).Backward();
                return [.. output.Value.Span.ToArray(), .. layer.Parameters()[1].Grad!.Span.ToArray()];
            }
            finally
            {
                Recur.Kernels.KernelThreading.MaxThreads = saved;
            }
        }
        Assert.Equal(Run(1), Run(2));
    }
}
