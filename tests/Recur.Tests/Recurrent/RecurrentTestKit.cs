// B batch, T time, I input, H hidden, P projection, G gates (LSTM 4H i,f,g,o; GRU 3H r,z,n), L layers, D directions
using Recur.Autograd;
using Recur.NN;

namespace Recur.Tests.Recurrent;

/// <summary>Builders and comparisons shared by the recurrent tests.</summary>
internal static class RecurrentTestKit
{
    public static readonly string[] Kinds = ["rnn_tanh", "rnn_relu", "lstm", "gru"];

    public static RecurrentLayer Make(string kind, int inputSize, int hiddenSize, int layers = 1, bool bidirectional = false,
        bool batchFirst = false, int proj = 0, bool bias = true, ulong seed = 1, double dropout = 0)
    {
        var rng = new RandomGenerator(seed);
        return kind switch
        {
            "rnn_tanh" => new Rnn(inputSize, hiddenSize, layers, RnnNonlinearity.Tanh, bias, batchFirst, dropout, bidirectional, rng),
            "rnn_relu" => new Rnn(inputSize, hiddenSize, layers, RnnNonlinearity.Relu, bias, batchFirst, dropout, bidirectional, rng),
            "lstm" => new Lstm(inputSize, hiddenSize, layers, bias, batchFirst, dropout, bidirectional, proj, rng),
            "gru" => new Gru(inputSize, hiddenSize, layers, bias, batchFirst, dropout, bidirectional, rng),
            _ => throw new ArgumentException($"unknown kind {kind}"),
        };
    }

    /// <summary>A constant variable, or null.</summary>
    public static Variable? V(Tensor? t) => t is null ? null : new Variable(t);

    public static Tensor Rand(ulong seed, params int[] shape) => new RandomGenerator(seed).Uniform(-1f, 1f, shape);

    /// <summary>h0 (and c0 for LSTM) of the right shapes for a batch of <paramref name="batch"/>.</summary>
    public static (Tensor H0, Tensor? C0) States(RecurrentLayer m, int batch, ulong seed)
    {
        int ld = m.NumLayers * m.NumDirections;
        var h0 = Rand(seed, ld, batch, m.StateSize);
        var c0 = m is Lstm ? Rand(seed + 1, ld, batch, m.HiddenSize) : null;
        return (h0, c0);
    }

    /// <summary>sum(output * u) + sum(h_n * v) [+ sum(c_n * w)] with fixed random u, v, w.</summary>
    public static Variable Loss(RecurrentResult r, ulong seed)
    {
        var loss = Ops.Sum(r.Output * new Variable(Rand(seed, r.Output.Value.ShapeArray)))
            + Ops.Sum(r.HN * new Variable(Rand(seed + 1, r.HN.Value.ShapeArray)));
        if (r.CN is not null) loss += Ops.Sum(r.CN * new Variable(Rand(seed + 2, r.CN.Value.ShapeArray)));
        return loss;
    }

    public static void Close(Tensor expected, Tensor actual, double tol = 2e-5, string what = "")
    {
        Assert.True(expected.SameShape(actual), $"{what}: shape {Tensor.FormatShape(expected.Shape)} vs {Tensor.FormatShape(actual.Shape)}");
        var e = expected.Span;
        var a = actual.Span;
        for (int i = 0; i < e.Length; i++)
            Assert.True(Math.Abs(e[i] - a[i]) <= tol * Math.Max(1, Math.Abs(e[i])), $"{what}[{i}]: expected {e[i]:G9} but got {a[i]:G9}");
    }

    /// <summary>Copies parameters named <c>prefix + suffixFrom</c> of <paramref name="from"/> to <c>prefix + suffixTo</c> of <paramref name="to"/>.</summary>
    public static void CopyParameters(Module from, Func<string, string?> rename, Module to)
    {
        var target = to.NamedParameters().ToDictionary(p => p.Key, p => p.Value);
        int copied = 0;
        foreach (var (name, p) in from.NamedParameters())
        {
            if (rename(name) is not { } targetName) continue;
            target[targetName].Value.CopyFrom(p.Value);
            copied++;
        }
        Assert.Equal(target.Count, copied);
    }

    /// <summary>A [T', B', F] copy of rows t0..t0+T'-1 and batch columns b0..b0+B'-1 of a time-major [T, B, F] tensor.</summary>
    public static Tensor Block(Tensor x, int t0, int steps, int b0, int batch)
    {
        int f = x.Size(2);
        var y = new Tensor(steps, batch, f);
        for (int t = 0; t < steps; t++)
            for (int b = 0; b < batch; b++)
                x[t0 + t][b0 + b].Span.CopyTo(y[t][b].Span);
        return y;
    }

    /// <summary>[L*D, B', F] copy of batch columns b0..b0+B'-1 of a state [L*D, B, F].</summary>
    public static Tensor StateColumns(Tensor s, int b0, int batch) => Block(s, 0, s.Size(0), b0, batch);
}
