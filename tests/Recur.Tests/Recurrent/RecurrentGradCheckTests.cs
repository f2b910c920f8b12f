// B batch, T time, I input, H hidden, P projection, G gates (LSTM 4H i,f,g,o; GRU 3H r,z,n), L layers, D directions
using Recur.Autograd;
using Recur.NN;
using static Recur.Tests.Recurrent.RecurrentTestKit;

namespace Recur.Tests.Recurrent;

/// <summary>
/// The hand-written BPTT against central differences of L = sum(output * u) + sum(h_n * v) [+ sum(c_n * w)] with
/// random u, v, w, for every parameter, the input and the initial states.
/// </summary>
public class RecurrentGradCheckTests
{
    private const double Eps = 1e-2, Tol = 2e-3;

    [Theory]
    [InlineData("lstm", 1, 1, 1, false, 0, null)]
    [InlineData("lstm", 2, 3, 1, false, 0, null)]
    [InlineData("lstm", 5, 3, 2, true, 0, new[] { 5, 2, 4 })]
    [InlineData("lstm", 5, 3, 2, true, 2, new[] { 3, 5, 1 })]
    [InlineData("lstm", 2, 1, 1, false, 2, null)]
    [InlineData("gru", 1, 3, 1, true, 0, null)]
    [InlineData("gru", 5, 1, 2, false, 0, null)]
    [InlineData("gru", 5, 3, 1, true, 0, new[] { 1, 5, 3 })]
    [InlineData("rnn_tanh", 2, 1, 2, true, 0, null)]
    [InlineData("rnn_tanh", 5, 3, 1, false, 0, new[] { 5, 4, 2 })]
    public void StackGradientsMatchCentralDifferences(string kind, int steps, int batch, int layers, bool bidirectional, int proj, int[]? lengths)
    {
        const int input = 2, hidden = 3;
        Func<RecurrentLayer> factory = () => Make(kind, input, hidden, layers, bidirectional, proj: proj, seed: 3);
        var m = factory();
        var x = Rand(1, steps, batch, input);
        var (h0, c0) = States(m, batch, 2);
        Check(factory, m, x, h0, c0, lengths);
    }

    [Fact]
    public void GradientsWithoutBiasOrInitialStateMatchCentralDifferences()
    {
        Func<RecurrentLayer> factory = () => Make("lstm", 2, 3, layers: 2, bias: false, seed: 4);
        Check(factory, factory(), Rand(1, 3, 2, 2), null, null, [3, 2]);
    }

    [Fact]
    public void DropoutBetweenLayersBackpropagatesThroughItsMask()
    {
        // A fresh module from the same seed draws the same weights and then the same dropout masks.
        Func<RecurrentLayer> factory = () => Make("gru", 2, 3, layers: 3, bidirectional: true, seed: 6, dropout: 0.4);
        var m = factory();
        var (h0, _) = States(m, 2, 2);
        Check(factory, m, Rand(1, 4, 2, 2), h0, null, null);
    }

    [Theory]
    [InlineData("rnn_tanh")]
    [InlineData("lstm")]
    [InlineData("gru")]
    public void CellGradientsMatchCentralDifferences(string kind)
    {
        // A cell step is a one-step, one-layer stack; check the cell modules the same way through a wrapper.
        var x = Rand(1, 3, 2);
        var h = Rand(2, 3, 4);
        var c = Rand(3, 3, 4);
        RecurrentCell Factory() => kind switch
        {
            "rnn_tanh" => new RnnCell(2, 4, rng: new RandomGenerator(5)),
            "lstm" => new LstmCell(2, 4, rng: new RandomGenerator(5)),
            _ => new GruCell(2, 4, rng: new RandomGenerator(5)),
        };
        var cell = Factory();
        var leaves = new[] { x, h, c }.Select(t => new Variable(t, requiresGrad: true)).ToArray();
        CellLoss(cell, leaves).Backward();
        var all = cell.NamedParameters().Select(p => (p.Key, p.Value.Value, p.Value.Grad)).ToList();
        all.Add(("input", x, leaves[0].Grad));
        all.Add(("h", h, leaves[1].Grad));
        if (kind == "lstm") all.Add(("c", c, leaves[2].Grad));
        foreach (var (name, value, grad) in all)
            Compare(name, value, grad, () =>
            {
                using var _ = GradMode.NoGrad();
                return CellLoss(cell, [new Variable(x), new Variable(h), new Variable(c)]).Value.ToScalar();
            });
    }

    private static Variable CellLoss(RecurrentCell cell, Variable[] v)
    {
        var u = new Variable(Rand(50, 3, 4));
        var w = new Variable(Rand(51, 3, 4));
        return cell switch
        {
            RnnCell rnn => Ops.Sum(rnn.Forward(v[0], v[1]) * u),
            GruCell gru => Ops.Sum(gru.Forward(v[0], v[1]) * u),
            LstmCell lstm => Ops.Sum(lstm.Forward(v[0], v[1], v[2]).H * u) + Ops.Sum(lstm.Forward(v[0], v[1], v[2]).C * w),
            _ => throw new ArgumentException("unknown cell"),
        };
    }

    private static void Check(Func<RecurrentLayer> factory, RecurrentLayer m, Tensor x, Tensor? h0, Tensor? c0, int[]? lengths)
    {
        var xv = new Variable(x, requiresGrad: true);
        var h0v = h0 is null ? null : new Variable(h0, requiresGrad: true);
        var c0v = c0 is null ? null : new Variable(c0, requiresGrad: true);
        Loss(m.Forward(xv, h0v, c0v, lengths), 100).Backward();

        var leaves = m.NamedParameters().Select(p => (p.Key, p.Value.Value, p.Value.Grad)).ToList();
        leaves.Add(("input", x, xv.Grad));
        if (h0 is not null) leaves.Add(("h0", h0, h0v!.Grad));
        if (c0 is not null) leaves.Add(("c0", c0, c0v!.Grad));
        var state = m.StateDict();
        foreach (var (name, value, grad) in leaves)
            Compare(name, value, grad, () =>
            {
                var fresh = factory();
                fresh.LoadStateDict(state);
                using var _ = GradMode.NoGrad();
                return LossValue(fresh.Forward(x, V(h0), V(c0), lengths), 100);
            });
    }

    private static void Compare(string name, Tensor value, Tensor? grad, Func<double> loss)
    {
        Assert.True(grad is not null, $"{name} received no gradient");
        var s = value.Span;
        for (int i = 0; i < s.Length; i++)
        {
            float saved = s[i];
            s[i] = (float)(saved + Eps);
            double plus = loss();
            s[i] = (float)(saved - Eps);
            double minus = loss();
            s[i] = saved;
            double numeric = (plus - minus) / (2 * Eps);
            double analytic = grad!.Span[i];
            Assert.True(Math.Abs(numeric - analytic) <= Tol * (1 + Math.Abs(numeric)), $"{name}[{i}]: analytic {analytic:G6} vs numeric {numeric:G6}");
        }
    }

    /// <summary>The value of <see cref="RecurrentTestKit.Loss"/>, accumulated in double.</summary>
    private static double LossValue(RecurrentResult r, ulong seed)
    {
        double sum = Dot(r.Output.Value, Rand(seed, r.Output.Value.ShapeArray)) + Dot(r.HN.Value, Rand(seed + 1, r.HN.Value.ShapeArray));
        if (r.CN is not null) sum += Dot(r.CN.Value, Rand(seed + 2, r.CN.Value.ShapeArray));
        return sum;
    }

    private static double Dot(Tensor a, Tensor b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += (double)a.Span[i] * b.Span[i];
        return s;
    }
}
