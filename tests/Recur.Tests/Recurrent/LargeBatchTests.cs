using Recur.Autograd;
using Recur.NN;

namespace Recur.Tests.Recurrent;

/// <summary>
/// Batches of 13 or more rows take the pre-packed recurrent GEMM; single sequences take the small unpacked paths.
/// Both must give the same outputs and gradients.
/// </summary>
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
