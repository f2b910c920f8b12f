// B batch, T time, I input, H hidden, P projection, G gates (LSTM 4H i,f,g,o; GRU 3H r,z,n), L layers, D directions
using Recur.Autograd;
using Recur.NN;
using static Recur.Tests.Recurrent.RecurrentTestKit;

namespace Recur.Tests.Recurrent;

/// <summary>A one-layer stack equals its cell stepped in a loop: values, final states and every gradient.</summary>
public class CellLoopTests
{
    [Theory]
    [InlineData("rnn_tanh", true)]
    [InlineData("rnn_relu", true)]
    [InlineData("lstm", true)]
    [InlineData("lstm", false)]
    [InlineData("gru", true)]
    [InlineData("gru", false)]
    public void CellLoopMatchesLayer(string kind, bool bias)
    {
        const int steps = 5, batch = 3, input = 4, hidden = 6;
        var layer = Make(kind, input, hidden, bias: bias, seed: 7);
        RecurrentCell cell = kind switch
        {
            "rnn_tanh" => new RnnCell(input, hidden, bias, RnnNonlinearity.Tanh),
            "rnn_relu" => new RnnCell(input, hidden, bias, RnnNonlinearity.Relu),
            "lstm" => new LstmCell(input, hidden, bias),
            _ => new GruCell(input, hidden, bias),
        };
        CopyParameters(layer, name => name.Replace("_l0", "", StringComparison.Ordinal), cell);
        var x = Rand(1, steps, batch, input);
        var (h0, c0) = States(layer, batch, 2);

        var xl = new Variable(x.Clone(), requiresGrad: true);
        var h0l = new Variable(h0.Clone(), requiresGrad: true);
        var c0l = c0 is null ? null : new Variable(c0.Clone(), requiresGrad: true);
        var r = layer.Forward(xl, h0l, c0l);
        Loss(r, 100).Backward();

        var xc = new Variable(x.Clone(), requiresGrad: true);
        var h = new Variable(h0.Clone().Reshape(batch, hidden), requiresGrad: true);
        var c = c0 is null ? null : new Variable(c0.Clone().Reshape(batch, hidden), requiresGrad: true);
        var (hStart, cStart) = (h, c);
        var u = Rand(100, steps, batch, hidden);
        Variable loss = new Variable(Tensor.Scalar(0f));
        for (int t = 0; t < steps; t++)
        {
            var xt = Ops.Reshape(Ops.Slice(xc, 0, t, 1), batch, input);
            switch (cell)
            {
                case RnnCell rnn: h = rnn.Forward(xt, h); break;
                case GruCell gru: h = gru.Forward(xt, h); break;
                case LstmCell lstm: (h, c) = lstm.Forward(xt, h, c); break;
            }
            Close(r.Output.Value[t], h.Value, 1e-5, $"output[{t}]");
            var term = Ops.Sum(h * new Variable(u[t]));
            loss += term;
        }
        Close(r.HN.Value[0], h.Value, 1e-5, "h_n");
        loss += Ops.Sum(h * new Variable(Rand(101, 1, batch, hidden).Reshape(batch, hidden)));
        if (c is not null)
        {
            Close(r.CN!.Value[0], c.Value, 1e-5, "c_n");
            loss += Ops.Sum(c * new Variable(Rand(102, 1, batch, hidden).Reshape(batch, hidden)));
        }
        loss.Backward();

        Close(xl.Grad!, xc.Grad!, 1e-4, "grad input");
        Close(h0l.Grad!.Reshape(batch, hidden), hStart.Grad!, 1e-4, "grad h0");
        if (c0l is not null) Close(c0l.Grad!.Reshape(batch, hidden), cStart!.Grad!, 1e-4, "grad c0");
        var cellParams = cell.NamedParameters().ToDictionary(p => p.Key, p => p.Value);
        foreach (var (name, p) in layer.NamedParameters())
            Close(p.Grad!, cellParams[name.Replace("_l0", "", StringComparison.Ordinal)].Grad!, 1e-4, $"grad {name}");
    }

    [Fact]
    public void UnbatchedCellEqualsBatchOfOne()
    {
        var cell = new LstmCell(3, 4, rng: new RandomGenerator(3));
        var x = Rand(1, 3);
        var h = Rand(2, 4);
        var c = Rand(3, 4);
        var (h1, c1) = cell.Forward(x, h, c);
        var (hb, cb) = cell.Forward(x.Reshape(1, 3), h.Reshape(1, 4), c.Reshape(1, 4));
        Assert.True(h1.Value.HasShape(4));
        Close(hb.Value.Reshape(4), h1.Value, 0);
        Close(cb.Value.Reshape(4), c1.Value, 0);
    }
}
