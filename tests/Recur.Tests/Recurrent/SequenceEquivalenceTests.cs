// B batch, T time, I input, H hidden, P projection, G gates (LSTM 4H i,f,g,o; GRU 3H r,z,n), L layers, D directions
using Recur.Autograd;
using Recur.NN;
using static Recur.Tests.Recurrent.RecurrentTestKit;

namespace Recur.Tests.Recurrent;

/// <summary>Two ways of computing the same sequences: packed vs one at a time, bidirectional vs reversed input, batch vs single.</summary>
public class SequenceEquivalenceTests
{
    public static TheoryData<string, bool> KindsAndDirections()
    {
        var data = new TheoryData<string, bool>();
        foreach (var k in Kinds)
            foreach (bool bidirectional in new[] { false, true }) data.Add(k, bidirectional);
        return data;
    }

    [Theory]
    [MemberData(nameof(KindsAndDirections))]
    public void PackedBatchMatchesOneSequenceAtATime(string kind, bool bidirectional)
    {
        const int steps = 5, batch = 4, input = 3, hidden = 4;
        int[] lengths = [3, 5, 1, 5];
        int proj = kind == "lstm" && bidirectional ? 2 : 0;
        var packed = Make(kind, input, hidden, layers: 2, bidirectional: bidirectional, proj: proj, seed: 5);
        var single = Make(kind, input, hidden, layers: 2, bidirectional: bidirectional, proj: proj, seed: 5);
        var x = Rand(1, steps, batch, input);
        var (h0, c0) = States(packed, batch, 2);
        var u = Rand(10, steps, batch, packed.OutputSize);
        var v = Rand(11, h0.ShapeArray);
        var w = c0 is null ? null : Rand(12, c0.ShapeArray);

        var xv = new Variable(x, requiresGrad: true);
        var r = packed.Forward(xv, h0, V(c0), lengths);
        Dot(r, u, v, w).Backward();

        for (int b = 0; b < batch; b++)
        {
            int len = lengths[b];
            var xb = new Variable(Block(x, 0, len, b, 1), requiresGrad: true);
            var rb = single.Forward(xb, StateColumns(h0, b, 1), V(c0 is null ? null : StateColumns(c0, b, 1)));
            Close(Block(r.Output.Value, 0, len, b, 1), rb.Output.Value, 1e-5, $"output of sequence {b}");
            if (len < steps) Assert.All(Block(r.Output.Value, len, steps - len, b, 1).ToArray(), e => Assert.Equal(0f, e));
            Close(StateColumns(r.HN.Value, b, 1), rb.HN.Value, 1e-5, $"h_n of sequence {b}");
            if (c0 is not null) Close(StateColumns(r.CN!.Value, b, 1), rb.CN!.Value, 1e-5, $"c_n of sequence {b}");
            Dot(rb, Block(u, 0, len, b, 1), StateColumns(v, b, 1), w is null ? null : StateColumns(w, b, 1)).Backward();
            Close(Block(xv.Grad!, 0, len, b, 1), xb.Grad!, 1e-4, $"grad input of sequence {b}");
            if (len < steps) Assert.All(Block(xv.Grad!, len, steps - len, b, 1).ToArray(), e => Assert.Equal(0f, e));
        }
        // Gradients accumulate over the single runs, so they add up to the packed batch's.
        var singleParams = single.NamedParameters().ToDictionary(p => p.Key, p => p.Value);
        foreach (var (name, p) in packed.NamedParameters()) Close(p.Grad!, singleParams[name].Grad!, 1e-4, $"grad {name}");
    }

    [Theory]
    [InlineData("rnn_tanh", false)]
    [InlineData("lstm", false)]
    [InlineData("lstm", true)]
    [InlineData("gru", false)]
    [InlineData("gru", true)]
    public void ReverseDirectionIsTheForwardCellOnReversedSequences(string kind, bool packedLengths)
    {
        const int steps = 6, batch = 3, input = 3, hidden = 5;
        int[] lengths = packedLengths ? [4, 6, 2] : [steps, steps, steps];
        var bidir = Make(kind, input, hidden, bidirectional: true, seed: 8);
        var forward = Make(kind, input, hidden, seed: 9);
        CopyParameters(bidir, n => n.EndsWith("_reverse", StringComparison.Ordinal) ? n[..^"_reverse".Length] : null, forward);
        var x = Rand(1, steps, batch, input);
        var (h0, c0) = States(bidir, batch, 2);
        var reversed = new Tensor(steps, batch, input);
        for (int b = 0; b < batch; b++)
            for (int t = 0; t < lengths[b]; t++) x[lengths[b] - 1 - t][b].Span.CopyTo(reversed[t][b].Span);

        var r = bidir.Forward(x, h0, V(c0), packedLengths ? lengths : null);
        var f = forward.Forward(reversed, h0.Narrow(1, 1), V(c0?.Narrow(1, 1)), packedLengths ? lengths : null);
        for (int b = 0; b < batch; b++)
            for (int t = 0; t < lengths[b]; t++)
            {
                var both = r.Output.Value[t][b].Span;
                Close(f.Output.Value[lengths[b] - 1 - t][b], Tensor.FromArray(both[hidden..].ToArray(), hidden), 1e-5, $"reverse output t={t} b={b}");
            }
        Close(f.HN.Value[0], r.HN.Value[1], 1e-5, "reverse h_n");
        if (c0 is not null) Close(f.CN!.Value[0], r.CN!.Value[1], 1e-5, "reverse c_n");
    }

    [Theory]
    [InlineData("lstm", 2)]
    [InlineData("gru", 0)]
    [InlineData("rnn_relu", 0)]
    public void BatchMatchesSingleExamplesBatchFirstAndUnbatched(string kind, int proj)
    {
        const int steps = 4, batch = 3, input = 3, hidden = 4;
        var m = Make(kind, input, hidden, layers: 2, bidirectional: true, batchFirst: true, proj: proj, seed: 4);
        var x = Rand(1, batch, steps, input); // [B, T, I]
        var (h0, c0) = States(m, batch, 2);
        var r = m.Forward(x, h0, V(c0));
        for (int b = 0; b < batch; b++)
        {
            var one = m.Forward(x.Narrow(b, 1).Clone(), StateColumns(h0, b, 1), V(c0 is null ? null : StateColumns(c0, b, 1)));
            Close(r.Output.Value.Narrow(b, 1), one.Output.Value, 1e-6, $"output of example {b}");
            Close(StateColumns(r.HN.Value, b, 1), one.HN.Value, 1e-6, $"h_n of example {b}");
            var unbatched = m.Forward(x[b].Clone(), StateColumns(h0, b, 1).Reshape(h0.Size(0), -1), V(c0 is null ? null : StateColumns(c0, b, 1).Reshape(c0.Size(0), -1)));
            Close(one.Output.Value.Reshape(steps, -1), unbatched.Output.Value, 0, $"unbatched output of example {b}");
            Close(one.HN.Value.Reshape(h0.Size(0), -1), unbatched.HN.Value, 0, $"unbatched h_n of example {b}");
        }
    }

    private static Variable Dot(RecurrentResult r, Tensor u, Tensor v, Tensor? w)
    {
        var loss = Ops.Sum(r.Output * new Variable(u)) + Ops.Sum(r.HN * new Variable(v));
        return r.CN is null || w is null ? loss : loss + Ops.Sum(r.CN * new Variable(w));
    }
}
