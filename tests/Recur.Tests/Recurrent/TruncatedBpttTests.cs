// B batch, T time, I input, H hidden, P projection, G gates (LSTM 4H i,f,g,o; GRU 3H r,z,n), L layers, D directions
using Recur.Autograd;
using static Recur.Tests.Recurrent.RecurrentTestKit;

namespace Recur.Tests.Recurrent;

/// <summary>Truncated BPTT: the final state carried into the next chunk as a detached value.</summary>
public class TruncatedBpttTests
{
    [Theory]
    [InlineData("lstm")]
    [InlineData("gru")]
    [InlineData("rnn_tanh")]
    public void ChunksWithDetachedStateEqualTheFullForward(string kind)
    {
        const int steps = 9, batch = 2, input = 3, hidden = 4, chunk = 3;
        var m = Make(kind, input, hidden, layers: 2, seed: 6);
        var x = Rand(1, steps, batch, input);
        var full = m.Forward(x);

        Variable? h = null, c = null;
        for (int start = 0; start < steps; start += chunk)
        {
            var r = m.Forward(x.Narrow(start, chunk).Clone(), h, c);
            Close(full.Output.Value.Narrow(start, chunk), r.Output.Value, 1e-6, $"chunk at {start}");
            h = r.HN.Detach();
            c = r.CN?.Detach();
        }
        Close(full.HN.Value, h!.Value, 1e-6, "h_n");
    }

    [Fact]
    public void GradientsStopAtTheChunkBoundary()
    {
        var m = Make("lstm", 3, 4, seed: 7);
        var x1 = new Variable(Rand(1, 4, 2, 3), requiresGrad: true);
        var x2 = new Variable(Rand(2, 4, 2, 3), requiresGrad: true);
        var first = m.Forward(x1);
        var second = m.Forward(x2, first.HN.Detach(), first.CN!.Detach());
        Loss(second, 20).Backward();
        Assert.Null(x1.Grad);
        Assert.NotNull(x2.Grad);
        var carried = m.Parameters().Select(p => p.Grad!.Clone()).ToList();

        // The same gradients as a run that starts from the carried values as constants.
        m.ZeroGrad();
        Loss(m.Forward(x2.Value, new Variable(first.HN.Value.Clone()), new Variable(first.CN.Value.Clone())), 20).Backward();
        var parameters = m.Parameters();
        for (int i = 0; i < parameters.Count; i++) Close(carried[i], parameters[i].Grad!, 0, $"parameter {i}");
    }

    [Fact]
    public void ChunksWithAttachedStateGiveTheFullGradients()
    {
        const int steps = 6, batch = 2, input = 3, hidden = 4;
        var full = Make("lstm", input, hidden, layers: 2, bidirectional: false, seed: 8);
        var chunked = Make("lstm", input, hidden, layers: 2, bidirectional: false, seed: 8);
        var x = Rand(1, steps, batch, input);
        var u = new Variable(Rand(2, steps, batch, hidden));
        var xFull = new Variable(x.Clone(), requiresGrad: true);
        Ops.Sum(full.Forward(xFull).Output * u).Backward();

        var xa = new Variable(x.Narrow(0, 2).Clone(), requiresGrad: true);
        var xb = new Variable(x.Narrow(2, 4).Clone(), requiresGrad: true);
        var a = chunked.Forward(xa);
        var b = chunked.Forward(xb, a.HN, a.CN); // not detached: gradients flow into the first chunk
        (Ops.Sum(a.Output * Ops.Slice(u, 0, 0, 2)) + Ops.Sum(b.Output * Ops.Slice(u, 0, 2, 4))).Backward();
        Close(xFull.Grad!.Narrow(0, 2), xa.Grad!, 1e-5, "grad of the first chunk");
        Close(xFull.Grad!.Narrow(2, 4), xb.Grad!, 1e-5, "grad of the second chunk");
        var chunkedParams = chunked.Parameters();
        var fullParams = full.Parameters();
        for (int i = 0; i < fullParams.Count; i++) Close(fullParams[i].Grad!, chunkedParams[i].Grad!, 1e-5, $"parameter {i}");
    }
}
