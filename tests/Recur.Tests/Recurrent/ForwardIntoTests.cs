// B batch, T time, I input, H hidden, P projection, G gates (LSTM 4H i,f,g,o; GRU 3H r,z,n), L layers, D directions
using Recur.Autograd;
using Recur.NN;
using static Recur.Tests.Recurrent.RecurrentTestKit;

namespace Recur.Tests.Recurrent;

/// <summary><see cref="RecurrentLayer.ForwardInto"/> writes bitwise what <see cref="RecurrentLayer.Forward"/> returns.</summary>
public class ForwardIntoTests
{
    public static TheoryData<string, int, bool, bool, int, bool, bool> Cases() => new()
    {
        // kind, layers, bidirectional, batchFirst, proj, lengths, states
        { "lstm", 1, false, false, 0, false, false },
        { "lstm", 2, true, true, 0, true, true },
        { "lstm", 2, false, false, 3, false, true },
        { "gru", 1, false, true, 0, true, false },
        { "gru", 3, true, false, 0, false, true },
        { "rnn_tanh", 2, false, false, 0, true, true },
        { "rnn_relu", 1, true, true, 0, false, false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesForwardBitwise(string kind, int layers, bool bidirectional, bool batchFirst, int proj, bool withLengths, bool withStates)
    {
        const int T = 6, B = 5, I = 4, H = 7;
        var m = Make(kind, I, H, layers, bidirectional, batchFirst, proj, seed: 3);
        m.Eval();
        var x = Rand(11, batchFirst ? [B, T, I] : [T, B, I]);
        int[]? lengths = withLengths ? [6, 2, 5, 1, 6] : null;
        var (h0, c0) = withStates ? States(m, B, 13) : (null, null);

        RecurrentResult expected;
        using (GradMode.NoGrad()) expected = m.Forward(new Variable(x), V(h0), V(c0), lengths);

        // Dirty destinations: every element must be written (zeros past each sequence's length included).
        var output = Tensor.Full(float.NaN, expected.Output.Value.ShapeArray);
        var hN = Tensor.Full(float.NaN, expected.HN.Value.ShapeArray);
        var cN = expected.CN is null ? null : Tensor.Full(float.NaN, expected.CN.Value.ShapeArray);
        for (int pass = 0; pass < 2; pass++)
        {
            m.ForwardInto(x, output, hN, cN, h0, c0, lengths);
            Assert.Equal(expected.Output.Value.ToArray(), output.ToArray());
            Assert.Equal(expected.HN.Value.ToArray(), hN.ToArray());
            if (cN is not null) Assert.Equal(expected.CN!.Value.ToArray(), cN.ToArray());
        }

        // The states are optional.
        var outputOnly = Tensor.Full(float.NaN, expected.Output.Value.ShapeArray);
        m.ForwardInto(x, outputOnly, h0: h0, c0: c0, lengths: lengths);
        Assert.Equal(expected.Output.Value.ToArray(), outputOnly.ToArray());
    }

    [Fact]
    public void UnbatchedAndViewsAtAnOffsetWork()
    {
        var m = Make("lstm", 3, 4, seed: 5);
        var x = Rand(2, 5, 3); // [T, I]
        RecurrentResult expected;
        using (GradMode.NoGrad()) expected = m.Forward(new Variable(x));

        // The output as a view into a larger buffer, past its start.
        var storage = new float[100];
        var output = Tensor.FromStorage(storage, 7, 5, 4);
        m.ForwardInto(x, output);
        Assert.Equal(expected.Output.Value.ToArray(), output.ToArray());
        Assert.All(storage[..7], v => Assert.Equal(0f, v));
        Assert.All(storage[27..], v => Assert.Equal(0f, v));
    }

    [Fact]
    public void BadDestinationsThrowNamingTheProblem()
    {
        var lstm = Make("lstm", 3, 4);
        var gru = Make("gru", 3, 4);
        var x = Rand(1, 5, 2, 3);
        var ex = Assert.Throws<ArgumentException>(() => lstm.ForwardInto(x, Tensor.Zeros(5, 2, 5)));
        Assert.Contains("output of shape [5, 2, 4]", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => lstm.ForwardInto(x, Tensor.Zeros(5, 2, 4), hN: Tensor.Zeros(2, 4)));
        Assert.Contains("hN of shape [1, 2, 4]", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => gru.ForwardInto(x, Tensor.Zeros(5, 2, 4), cN: Tensor.Zeros(1, 2, 4)));
        Assert.Contains("no cell state", ex.Message);
        var shared = new float[40];
        ex = Assert.Throws<ArgumentException>(() => lstm.ForwardInto(Tensor.FromStorage(shared, 0, 5, 2, 3), Tensor.FromStorage(shared, 0, 5, 2, 4)));
        Assert.Contains("shares memory", ex.Message);
        Assert.Throws<ArgumentException>(() => lstm.ForwardInto(Rand(1, 5, 2, 4), Tensor.Zeros(5, 2, 4)));
    }
}
