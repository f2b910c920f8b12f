using Recur.Autograd;
using Recur.NN;

namespace Recur.Tests.NN;

public class ModuleTests
{
    private sealed class TwoLayer : Module
    {
        public TwoLayer(RandomGenerator rng)
        {
            Embedding = RegisterModule("embedding", new Embedding(10, 4, paddingIndex: 0, rng: rng));
            Fc = RegisterModule("fc", new Linear(4, 3, rng: rng));
            Drop = RegisterModule("drop", new Dropout(0.5, rng));
        }

        public Embedding Embedding { get; }
        public Linear Fc { get; }
        public Dropout Drop { get; }
    }

    [Fact]
    public void ParameterNamesFollowPyTorchStateDict()
    {
        var m = new TwoLayer(new RandomGenerator(1));
        Assert.Equal(["embedding.weight", "fc.weight", "fc.bias"], m.NamedParameters().Select(p => p.Key).ToArray());
        Assert.True(m.Fc.Weight.Value.HasShape(3, 4));
    }

    [Fact]
    public void LinearInitIsUniformWithPyTorchBoundAndComputesXWtPlusB()
    {
        var lin = new Linear(16, 32, rng: new RandomGenerator(2));
        float bound = 1f / 4f;
        Assert.All(lin.Weight.Value.ToArray(), w => Assert.InRange(w, -bound, bound));
        Assert.All(lin.Bias!.Value.ToArray(), w => Assert.InRange(w, -bound, bound));
        var x = GradCheckInput(3, 16);
        var y = lin.Forward(x).Value;
        for (int i = 0; i < 3; i++)
            for (int o = 0; o < 32; o++)
            {
                double s = lin.Bias.Value.Span[o];
                for (int k = 0; k < 16; k++) s += x[i, k] * lin.Weight.Value[o, k];
                Assert.Equal(s, y[i, o], 5);
            }
        var ex = Assert.Throws<ArgumentException>(() => lin.Forward(GradCheckInput(3, 15)));
        Assert.Contains("[.., 16]", ex.Message);
    }

    [Fact]
    public void EmbeddingPaddingRowStartsZeroAndGetsNoGradient()
    {
        var m = new TwoLayer(new RandomGenerator(3));
        Assert.All(m.Embedding.Weight.Value[0].ToArray(), w => Assert.Equal(0f, w));
        var y = m.Fc.Forward(m.Embedding.Forward([0, 2, 0, 5], 2, 2));
        Ops.Sum(y * y).Backward();
        Assert.All(m.Embedding.Weight.Grad![0].ToArray(), g => Assert.Equal(0f, g));
        Assert.Contains(m.Embedding.Weight.Grad![2].ToArray(), g => g != 0f);
    }

    [Fact]
    public void TrainEvalReachesChildrenAndSwitchesDropout()
    {
        var m = new TwoLayer(new RandomGenerator(4));
        var x = new Variable(Tensor.Ones(8, 8));
        Assert.Contains(m.Drop.Forward(x).Value.ToArray(), v => v == 0f);
        m.Eval();
        Assert.False(m.Drop.IsTraining);
        Assert.Same(x, m.Drop.Forward(x));
        m.Train();
        Assert.True(m.Fc.IsTraining);
    }

    [Fact]
    public void StrictLoadListsEveryMismatchAndChangesNothing()
    {
        var m = new TwoLayer(new RandomGenerator(5));
        var before = m.Fc.Weight.Value.ToArray();
        var state = new Dictionary<string, Tensor>
        {
            ["fc.weight"] = Tensor.Zeros(4, 3),
            ["fc.bias"] = Tensor.Ones(3),
            ["extra.weight"] = Tensor.Zeros(1),
        };
        var ex = Assert.Throws<ArgumentException>(() => m.LoadStateDict(state));
        Assert.Contains("missing keys: embedding.weight", ex.Message);
        Assert.Contains("unexpected keys: extra.weight", ex.Message);
        Assert.Contains("fc.weight: expected [3, 4] but got [4, 3]", ex.Message);
        Assert.Equal(before, m.Fc.Weight.Value.ToArray());

        var report = m.LoadStateDict(state, strict: false);
        Assert.False(report.IsExactMatch);
        Assert.All(m.Fc.Bias!.Value.ToArray(), b => Assert.Equal(1f, b));
    }

    [Fact]
    public void StateDictRoundTripReproducesOutputsBitForBit()
    {
        var a = new TwoLayer(new RandomGenerator(6));
        var b = new TwoLayer(new RandomGenerator(7));
        b.LoadStateDict(a.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.Clone()));
        a.Eval(); b.Eval();
        var ya = a.Fc.Forward(a.Embedding.Forward([1, 2, 3], 3)).Value.ToArray();
        var yb = b.Fc.Forward(b.Embedding.Forward([1, 2, 3], 3)).Value.ToArray();
        Assert.Equal(ya, yb);
    }

    private static Tensor GradCheckInput(params int[] shape) => new RandomGenerator(99).Uniform(-1, 1, shape);
}

public class StateDictFileTests
{
    [Fact]
    public void SaveLoadThroughSafetensorsReproducesOutputsBitForBit()
    {
        string dir = Directory.CreateTempSubdirectory("recur-sd-").FullName;
        try
        {
            string path = Path.Combine(dir, "model.safetensors");
            var a = new Linear(5, 3, rng: new RandomGenerator(1));
            StateDictFile.Save(a, path, new Dictionary<string, string> { ["format"] = "pt" });
            var file = Recur.IO.SafetensorsFile.Read(path);
            Assert.Equal(["bias", "weight"], file.Tensors.Keys.Order().ToArray());
            Assert.Equal("pt", file.Metadata["format"]);

            var b = new Linear(5, 3, rng: new RandomGenerator(2));
            Assert.True(StateDictFile.Load(b, path).IsExactMatch);
            var x = new RandomGenerator(3).Normal(0, 1, 4, 5);
            Assert.Equal(a.Forward(x).Value.ToArray(), b.Forward(x).Value.ToArray());

            var wrong = new Linear(6, 3, rng: new RandomGenerator(2));
            var ex = Assert.Throws<ArgumentException>(() => StateDictFile.Load(wrong, path));
            Assert.Contains("weight: expected [3, 6] but got [3, 5]", ex.Message);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
