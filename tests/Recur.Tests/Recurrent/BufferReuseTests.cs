using Recur.Autograd;
using Recur.NN;

namespace Recur.Tests.Recurrent;

/// <summary>The recurrent layers rent their buffers from a pool: reuse must never change a result.</summary>
public class BufferReuseTests
{
    [Theory]
    [InlineData("lstm")]
    [InlineData("gru")]
    [InlineData("rnn")]
    public void RepeatedTrainingStepsWithReleasedGraphsMatchFreshLayers(string kind)
    {
        var x = new Variable(new RandomGenerator(5).Normal(0, 1, 6, 3, 4));
        var (first, firstGrad) = Step(Create(kind), x, retainGraph: true);
        var reused = Create(kind);
        for (int i = 0; i < 3; i++)
        {
            reused.ZeroGrad();
            var (output, grad) = Step(reused, x, retainGraph: false);
            Assert.Equal(first, output);
            Assert.Equal(firstGrad, grad);
        }
        using (GradMode.NoGrad())
        {
            for (int i = 0; i < 2; i++) Assert.Equal(first, reused.Forward(x).Output.Value.Span.ToArray());
        }
    }

    [Fact]
    public void BackwardAfterAReleasedGraphThrows()
    {
        var lstm = new Lstm(4, 5, rng: new RandomGenerator(1));
        var loss = Ops.Sum(lstm.Forward(new Variable(new RandomGenerator(2).Normal(0, 1, 3, 2, 4))).Output);
        loss.Backward(retainGraph: false);
        Assert.Throws<InvalidOperationException>(() => loss.Backward());

        // The default frees the graph too (as PyTorch), and the message says how to keep it.
        var again = Ops.Sum(lstm.Forward(new Variable(new RandomGenerator(3).Normal(0, 1, 3, 2, 4))).Output);
        again.Backward();
        var ex = Assert.Throws<InvalidOperationException>(() => again.Backward());
        Assert.Contains("retainGraph: true", ex.Message);
    }

    private static RecurrentLayer Create(string kind)
    {
        var rng = new RandomGenerator(7);
        return kind switch
        {
            "lstm" => new Lstm(4, 5, numLayers: 2, bidirectional: true, rng: rng),
            "gru" => new Gru(4, 5, numLayers: 2, rng: rng),
            _ => new Rnn(4, 5, bidirectional: true, rng: rng),
        };
    }

    private static (float[] Output, float[] Grad) Step(RecurrentLayer layer, Variable x, bool retainGraph)
    {
        var output = layer.Forward(x).Output;
        Ops.Sum(Ops.Mul(output, output)).Backward(retainGraph: retainGraph);
        return (output.Value.Span.ToArray(), layer.Parameters()[1].Grad!.Span.ToArray());
    }
}
