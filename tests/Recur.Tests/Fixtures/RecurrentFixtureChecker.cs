// B batch, T time, I input, H hidden, P projection, G gates (LSTM 4H i,f,g,o; GRU 3H r,z,n), L layers, D directions
using Recur.Autograd;
using Recur.NN;

namespace Recur.Tests.Fixtures;

/// <summary>
/// Kind <c>recurrent</c>: builds RNN / LSTM / GRU from the config, loads <c>param.*</c>, runs input (with optional
/// h0, c0 and packed lengths), compares output, h_n, c_n, then backpropagates
/// sum(output * seed.output) + sum(h_n * seed.h_n) [+ sum(c_n * seed.c_n)] and compares every <c>grad.*</c>.
/// </summary>
internal static class RecurrentFixtureChecker
{
    public static void Check(Fixture f)
    {
        var module = Build(f);
        RecurrentFixtureSupport.LoadParameters(f, module);
        var input = new Variable(f.Tensor("input"), requiresGrad: true);
        var h0 = RecurrentFixtureSupport.OptionalLeaf(f, "h0");
        var c0 = RecurrentFixtureSupport.OptionalLeaf(f, "c0");
        var (output, hN, cN) = module.Forward(input, h0, c0, RecurrentFixtureSupport.Lengths(f));

        // pad_packed_sequence stops at the longest length; our output keeps all T steps (zero past each length).
        var expectedOutput = f.Tensor("output");
        int timeDim = module.BatchFirst && input.Rank == 3 ? 1 : 0;
        Fixture.AssertClose("output", PadTime(expectedOutput, timeDim, output.Value.Size(timeDim)), output.Value, RecurrentFixtureSupport.Tolerance);
        Fixture.AssertClose("h_n", f.Tensor("h_n"), hN.Value, RecurrentFixtureSupport.Tolerance);
        if (f.Has("c_n"))
        {
            Assert.True(cN is not null, "the fixture has c_n but the module returned none");
            Fixture.AssertClose("c_n", f.Tensor("c_n"), cN!.Value, RecurrentFixtureSupport.Tolerance);
        }

        // An absent seed is a zero seed: that output is not in the loss.
        var loss = new Variable(Recur.Tensor.Scalar(0f));
        if (f.Has("seed.output")) loss += RecurrentFixtureSupport.Dot(output, PadTime(f.Tensor("seed.output"), timeDim, output.Value.Size(timeDim)));
        if (f.Has("seed.h_n")) loss += RecurrentFixtureSupport.Dot(hN, f.Tensor("seed.h_n"));
        if (cN is not null && f.Has("seed.c_n")) loss += RecurrentFixtureSupport.Dot(cN, f.Tensor("seed.c_n"));
        loss.Backward();
        RecurrentFixtureSupport.CheckGradients(f, module, new Dictionary<string, Variable?> { ["input"] = input, ["h0"] = h0, ["c0"] = c0 });
    }

    private static RecurrentLayer Build(Fixture f)
    {
        int input = (int)f.Number("input_size", 0), hidden = (int)f.Number("hidden_size", 0), layers = (int)f.Number("num_layers", 1);
        bool bias = f.Flag("bias", true), batchFirst = f.Flag("batch_first", false), bidirectional = f.Flag("bidirectional", false);
        double dropout = f.Number("dropout", 0);
        int proj = (int)f.Number("proj_size", 0);
        RecurrentLayer module = f.Module switch
        {
            "RNN" => new Rnn(input, hidden, layers, Nonlinearity(f), bias, batchFirst, dropout, bidirectional),
            "LSTM" => new Lstm(input, hidden, layers, bias, batchFirst, dropout, bidirectional, proj),
            "GRU" => new Gru(input, hidden, layers, bias, batchFirst, dropout, bidirectional),
            _ => throw new InvalidOperationException($"unknown recurrent module '{f.Module}'"),
        };
        if (dropout > 0) module.Eval(); // a reference with random dropout masks could not be reproduced
        return module;
    }

    internal static RnnNonlinearity Nonlinearity(Fixture f) => f.Text("nonlinearity", "tanh") switch
    {
        "tanh" => RnnNonlinearity.Tanh,
        "relu" => RnnNonlinearity.Relu,
        var other => throw new InvalidOperationException($"unknown nonlinearity '{other}'"),
    };

    /// <summary>A copy of <paramref name="t"/> with dimension <paramref name="dim"/> (0 or 1) zero-padded to <paramref name="size"/>.</summary>
    private static Tensor PadTime(Tensor t, int dim, int size)
    {
        if (t.Size(dim) == size) return t;
        Assert.True(t.Size(dim) < size, $"the reference has {t.Size(dim)} time steps, more than the input's {size}");
        int[] shape = t.ShapeArray;
        shape[dim] = size;
        var padded = new Tensor(shape);
        int outer = dim == 0 ? 1 : t.Size(0);
        int block = t.Length / outer; // elements of one outer slice of t
        int paddedBlock = padded.Length / outer;
        for (int o = 0; o < outer; o++) t.Span.Slice(o * block, block).CopyTo(padded.Span.Slice(o * paddedBlock, block));
        return padded;
    }
}
