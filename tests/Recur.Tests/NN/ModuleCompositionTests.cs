using Recur.Autograd;
using Recur.Models;
using Recur.NN;
using CharLmModel = Recur.Models.CharLm;

namespace Recur.Tests.NN;

public class ModuleCompositionTests
{
    [Fact]
    public void SequentialChainsItsLayersUnderPositionalNames()
    {
        var rng = new RandomGenerator(3);
        var seq = new Sequential(new Linear(4, 3, rng: rng), new Tanh(), new Linear(3, 2, rng: rng));
        Assert.Equal(["0.weight", "0.bias", "2.weight", "2.bias"], seq.NamedParameters().Select(p => p.Key));
        var x = new Variable(rng.Normal(0, 1, 5, 4));
        var manual = ((Linear)seq[2]).Forward(Ops.Tanh(((Linear)seq[0]).Forward(x)));
        Assert.Equal(manual.Value.ToArray(), seq.Forward(x).Value.ToArray());
        Assert.Equal(3 * 4 + 3 + 2 * 3 + 2, seq.ParameterCount);
        var lstm = new Lstm(2, 3);
        Assert.Contains("LSTM cannot be a step of a Sequential", Assert.Throws<ArgumentException>(() => new Sequential(lstm)).Message);
    }

    [Fact]
    public void PrintsAsPyTorchPrintsTheSameModules()
    {
        // Each expected text is what PyTorch 1.13 prints for the equivalent torch.nn module.
        var seq = new Sequential(new Linear(4, 3), new Tanh(), new Relu(), new Sigmoid(), new Dropout(0.1));
        Assert.Equal("""
            Sequential(
              (0): Linear(in_features=4, out_features=3, bias=True)
              (1): Tanh()
              (2): ReLU()
              (3): Sigmoid()
              (4): Dropout(p=0.1, inplace=False)
            )
            """.ReplaceLineEndings("\n"), seq.ToString());
        var lm = new CharLmModel(new CharLmConfig { VocabSize = 65, EmbeddingSize = 64, HiddenSize = 256, Layers = 2, Dropout = 0.1 }, new RandomGenerator(1));
        Assert.Equal("""
            CharLm(
              (embedding): Embedding(65, 64)
              (rnn): LSTM(64, 256, num_layers=2, dropout=0.1)
              (dropout): Dropout(p=0.1, inplace=False)
              (fc): Linear(in_features=256, out_features=65, bias=True)
            )
            """.ReplaceLineEndings("\n"), lm.ToString());
        Assert.Equal("LSTM(8, 16, proj_size=4, num_layers=2, bias=False, batch_first=True, bidirectional=True)",
            new Lstm(8, 16, 2, bias: false, batchFirst: true, bidirectional: true, projSize: 4).ToString());
        Assert.Equal("GRU(3, 5)", new Gru(3, 5).ToString());
        Assert.Equal("RNN(3, 5)", new Rnn(3, 5, nonlinearity: RnnNonlinearity.Relu).ToString());
        Assert.Equal("Embedding(10, 3, padding_idx=0)", new Embedding(10, 3, paddingIndex: 0).ToString());
        Assert.Equal("Dropout(p=0.0, inplace=False)", new Dropout(0).ToString());
        Assert.Equal("""
            ModuleList(
              (0): Linear(in_features=2, out_features=2, bias=True)
              (1): Linear(in_features=2, out_features=3, bias=True)
            )
            """.ReplaceLineEndings("\n"), new ModuleList(new Linear(2, 2), new Linear(2, 3)).ToString());
    }

    [Fact]
    public void ModuleListRegistersItsModules()
    {
        var list = new ModuleList(new Linear(2, 2), new Linear(2, 3));
        list.Add(new Embedding(4, 2));
        Assert.Equal(3, list.Count);
        Assert.Equal(["0.weight", "0.bias", "1.weight", "1.bias", "2.weight"], list.NamedParameters().Select(p => p.Key));
        Assert.IsType<Embedding>(list[2]);
    }

    private sealed class Forgetful : Module
    {
        public Forgetful()
        {
            Encoder = RegisterModule("encoder", new Linear(2, 2));
            Head = new Linear(2, 1); // forgot RegisterModule
        }

        public Linear Encoder { get; }

        public Linear Head { get; }
    }

    private sealed class ForgetfulParameter : Module
    {
        private readonly Parameter _scale = new(Tensor.Ones(1)); // forgot RegisterParameter

        public float Scale => _scale.Value.Span[0];
    }

    private sealed class Tied : Module
    {
        private readonly Linear[] _all;

        public Tied()
        {
            var a = RegisterModule("a", new Linear(2, 2));
            var b = RegisterModule("b", new Linear(2, 2));
            _all = [a, b]; // a second view of registered modules is fine
            Weight = a.Weight;
        }

        public Parameter Weight { get; }

        public int Count => _all.Length;
    }

    [Fact]
    public void AForgottenRegistrationIsReportedNotSilentlyLeftOut()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => new Forgetful().Parameters());
        Assert.Equal("Forgetful.Head (Linear) is not registered, so it would not be trained or saved: in the constructor write Head = RegisterModule(\"head\", ...).", ex.Message);
        Assert.Contains("Forgetful.Head", Assert.Throws<InvalidOperationException>(() => new Forgetful().StateDict()).Message);
        Assert.Contains("ForgetfulParameter.scale (Parameter) is not registered", Assert.Throws<InvalidOperationException>(() => new ForgetfulParameter().Parameters()).Message);
        Assert.Equal(12, new Tied().ParameterCount);
    }

    [Fact]
    public void TrainAndEvalReturnTheModulesOwnType()
    {
        CharLmModel lm = new CharLmModel(new CharLmConfig { VocabSize = 5, EmbeddingSize = 2, HiddenSize = 3, Layers = 1 }, new RandomGenerator(1)).Eval();
        Assert.False(lm.IsTraining);
        Assert.False(lm.Rnn.IsTraining);
        Linear fc = lm.Fc.Train();
        Assert.True(fc.IsTraining);
        Assert.False(lm.IsTraining);
    }

    [Fact]
    public void FrozenParametersGetNoGradientAndAreNotCountedAsTrainable()
    {
        var emb = new Embedding(5, 3, rng: new RandomGenerator(2));
        var fc = new Linear(3, 1, rng: new RandomGenerator(3));
        emb.Freeze();
        var y = fc.Forward(emb.Forward([1, 2, 4]));
        Ops.Sum(y).Backward();
        Assert.Null(emb.Weight.Grad);
        Assert.NotNull(fc.Weight.Grad);
        Assert.Equal(0, emb.TrainableParameterCount);
        emb.Freeze(false);
        Assert.Equal(15, emb.TrainableParameterCount);
    }

    [Fact]
    public void EmbeddingOfAOneDimensionalIndexListIsTwoDimensional()
    {
        var emb = new Embedding(6, 4, rng: new RandomGenerator(2));
        var y = emb.Forward([5, 0, 2]);
        Assert.Equal([3, 4], y.Shape.ToArray());
        Assert.Equal(emb.Weight.Value[5].ToArray(), y.Value[0].ToArray());
    }

    [Fact]
    public void ImpossibleSizesAreArgumentErrorsNotOverflows()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Lstm(8, 1_000_000_000));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Gru(1_000_000, 100_000));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Linear(100_000, 100_000));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Embedding(1_000_000, 10_000));
        var lstm = new Lstm(4, 8);
        Assert.Throws<ArgumentOutOfRangeException>(() => lstm.CreateStream(int.MaxValue));
        Assert.Throws<ArgumentOutOfRangeException>(() => lstm.CreateStream(0));
    }
}
