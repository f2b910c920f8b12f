// B batch, T time, I input, H hidden, P projection, G gates (LSTM 4H i,f,g,o; GRU 3H r,z,n), L layers, D directions
using Recur.Autograd;
using Recur.NN;
using static Recur.Tests.Recurrent.RecurrentTestKit;

namespace Recur.Tests.Recurrent;

/// <summary>Names, shapes and init as PyTorch; invariants: backward twice, same seed, save/load, dropout placement.</summary>
public class RecurrentModuleTests
{
    [Fact]
    public void ParametersHavePyTorchNamesOrderShapesAndInitBounds()
    {
        var lstm = new Lstm(3, 4, numLayers: 2, bidirectional: true, projSize: 2, rng: new RandomGenerator(1));
        string[] expected =
        [
            "weight_ih_l0:16x3", "weight_hh_l0:16x2", "bias_ih_l0:16", "bias_hh_l0:16", "weight_hr_l0:2x4",
            "weight_ih_l0_reverse:16x3", "weight_hh_l0_reverse:16x2", "bias_ih_l0_reverse:16", "bias_hh_l0_reverse:16", "weight_hr_l0_reverse:2x4",
            "weight_ih_l1:16x4", "weight_hh_l1:16x2", "bias_ih_l1:16", "bias_hh_l1:16", "weight_hr_l1:2x4",
            "weight_ih_l1_reverse:16x4", "weight_hh_l1_reverse:16x2", "bias_ih_l1_reverse:16", "bias_hh_l1_reverse:16", "weight_hr_l1_reverse:2x4",
        ];
        Assert.Equal(expected, lstm.NamedParameters().Select(p => $"{p.Key}:{string.Join("x", p.Value.Value.ShapeArray)}"));
        Assert.Equal(["weight_ih_l0", "weight_hh_l0"], new Gru(3, 5, bias: false).NamedParameters().Select(p => p.Key));
        Assert.Equal(["weight_ih", "weight_hh", "bias_ih", "bias_hh"], new GruCell(3, 5).NamedParameters().Select(p => p.Key));
        Assert.True(new GruCell(3, 5).WeightIh.Value.HasShape(15, 3));

        var wide = new Rnn(3, 64, rng: new RandomGenerator(2));
        foreach (var (_, p) in wide.NamedParameters())
        {
            var v = p.Value.ToArray();
            Assert.All(v, e => Assert.InRange(e, -0.125f, 0.125f));
            Assert.True(v.Max() > 0.1f && v.Min() < -0.1f, "the draws should span U(-1/sqrt(H), 1/sqrt(H))");
        }
    }

    [Theory]
    [InlineData("lstm")]
    [InlineData("gru")]
    [InlineData("rnn_tanh")]
    public void BackwardTwiceDoublesEveryGradient(string kind)
    {
        var m = Make(kind, 3, 4, layers: 2, bidirectional: true, seed: 3);
        var x = new Variable(Rand(1, 5, 2, 3), requiresGrad: true);
        var (h0, c0) = States(m, 2, 2);
        var h0v = new Variable(h0, requiresGrad: true);
        var loss = Loss(m.Forward(x, h0v, V(c0), [5, 3]), 10);
        loss.Backward(retainGraph: true); // keep the graph for the second pass, as in PyTorch
        var once = m.Parameters().Select(p => p.Grad!.Clone()).Append(x.Grad!.Clone()).Append(h0v.Grad!.Clone()).ToList();
        loss.Backward();
        var twice = m.Parameters().Select(p => p.Grad!).Append(x.Grad!).Append(h0v.Grad!).ToList();
        for (int i = 0; i < once.Count; i++)
        {
            var doubled = once[i].Clone();
            foreach (ref float e in doubled.Span) e *= 2;
            Close(doubled, twice[i], 1e-6, $"gradient {i}");
        }
        m.ZeroGrad();
        Assert.All(m.Parameters(), p => Assert.All(p.Grad!.ToArray(), g => Assert.Equal(0f, g)));
    }

    [Fact]
    public void SameSeedSameRunAndSaveLoadReproducesOutputsBitForBit()
    {
        var a = Make("lstm", 3, 4, layers: 2, proj: 2, seed: 9);
        var b = Make("lstm", 3, 4, layers: 2, proj: 2, seed: 9);
        var x = Rand(1, 4, 2, 3);
        Assert.Equal(a.Forward(x).Output.Value.ToArray(), b.Forward(x).Output.Value.ToArray());
        Assert.NotEqual(a.Forward(x).Output.Value.ToArray(), Make("lstm", 3, 4, layers: 2, proj: 2, seed: 10).Forward(x).Output.Value.ToArray());

        string path = Path.Combine(Path.GetTempPath(), $"recur-lstm-{Guid.NewGuid():N}.safetensors");
        try
        {
            StateDictFile.Save(a, path);
            var loaded = Make("lstm", 3, 4, layers: 2, proj: 2, seed: 11);
            StateDictFile.Load(loaded, path);
            var (ra, rl) = (a.Forward(x, lengths: [4, 2]), loaded.Forward(x, lengths: [4, 2]));
            Assert.Equal(ra.Output.Value.ToArray(), rl.Output.Value.ToArray());
            Assert.Equal(ra.HN.Value.ToArray(), rl.HN.Value.ToArray());
            Assert.Equal(ra.CN!.Value.ToArray(), rl.CN!.Value.ToArray());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void DropoutActsBetweenLayersInTrainingOnly()
    {
        var x = Rand(1, 4, 3, 3);
        var plain = Make("gru", 3, 5, layers: 2, seed: 4).Forward(x).Output.Value.ToArray();
        var dropped = Make("gru", 3, 5, layers: 2, seed: 4, dropout: 0.5);
        Assert.NotEqual(plain, dropped.Forward(x).Output.Value.ToArray());
        dropped.Eval();
        Assert.Equal(plain, dropped.Forward(x).Output.Value.ToArray());

        // Never after the last layer: a one-layer stack ignores dropout even in training.
        var single = Make("gru", 3, 5, seed: 4, dropout: 0.9);
        Assert.Equal(Make("gru", 3, 5, seed: 4).Forward(x).Output.Value.ToArray(), single.Forward(x).Output.Value.ToArray());

        // p = 1 zeroes the second layer's input, so its output depends on the biases and the recurrence only.
        var all = Make("lstm", 3, 4, layers: 2, seed: 5, dropout: 1);
        var other = Rand(2, 4, 3, 3);
        Assert.Equal(all.Forward(x).Output.Value.ToArray(), all.Forward(other).Output.Value.ToArray());
    }

    [Fact]
    public void NoGradModeRecordsNothing()
    {
        var m = Make("lstm", 3, 4, seed: 1);
        using (GradMode.NoGrad())
        {
            var r = m.Forward(new Variable(Rand(1, 2, 2, 3), requiresGrad: true));
            Assert.False(r.Output.RequiresGrad);
            Assert.False(r.HN.RequiresGrad);
        }
    }

    [Fact]
    public void OutputKeepsAllTimeStepsWithZerosPastEachLength()
    {
        var m = Make("rnn_tanh", 2, 3, bidirectional: true, batchFirst: true, seed: 2);
        var r = m.Forward(Rand(1, 2, 6, 2), lengths: [2, 4]);
        Assert.True(r.Output.Value.HasShape(2, 6, 6));
        Assert.All(r.Output.Value[0].Narrow(2, 4).ToArray(), e => Assert.Equal(0f, e));
        Assert.All(r.Output.Value[1].Narrow(4, 2).ToArray(), e => Assert.Equal(0f, e));
        Assert.Contains(r.Output.Value[1][3].ToArray(), e => e != 0f);
    }
}
