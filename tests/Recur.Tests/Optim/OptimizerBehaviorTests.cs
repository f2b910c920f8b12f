using Recur.Autograd;
using Recur.Optim;

namespace Recur.Tests.Optim;

[Collection(GlobalKernelState.Name)]
public class OptimizerBehaviorTests
{
    // Each optimizer with every buffer it can keep.
    public static TheoryData<string> Kinds() => ["sgd", "adam", "adamw", "rmsprop", "adagrad"];

    private static Optimizer Create(string kind, IEnumerable<KeyValuePair<string, Parameter>> parameters) => kind switch
    {
        "sgd" => new Sgd(parameters, 0.1, momentum: 0.9, dampening: 0.1, weightDecay: 0.01),
        "adam" => new Adam(parameters, 0.01, weightDecay: 0.01, amsgrad: true),
        "adamw" => new AdamW(parameters, 0.01, amsgrad: true),
        "rmsprop" => new RmsProp(parameters, 0.01, momentum: 0.5, centered: true),
        _ => new Adagrad(parameters, 0.1, learningRateDecay: 0.01, initialAccumulatorValue: 0.1),
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void SavedStateResumesBitForBit(string kind)
    {
        var rng = new RandomGenerator(21);
        var (first, firstParams) = Model(kind, rng.Normal(0, 1, 2, 3), rng.Normal(0, 1, 4));
        var grads = Enumerable.Range(0, 6).Select(_ => new[] { rng.Normal(0, 1, 2, 3), rng.Normal(0, 1, 4) }).ToArray();
        for (int s = 0; s < 3; s++) Step(first, firstParams, grads[s]);

        var state = first.StateDict();
        var (second, secondParams) = Model(kind, firstParams[0].Value.Clone(), firstParams[1].Value.Clone());
        second.LearningRate = 123;  // restored from the state
        second.LoadStateDict(state);
        Assert.Equal(first.LearningRate, second.LearningRate);
        for (int s = 3; s < 6; s++)
        {
            Step(first, firstParams, grads[s]);
            Step(second, secondParams, grads[s]);
        }
        for (int i = 0; i < 2; i++) Assert.Equal(firstParams[i].Value.ToArray(), secondParams[i].Value.ToArray());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void StepAllocatesNothingAfterTheFirst(string kind)
    {
        var (optimizer, parameters) = Model(kind, Tensor.Ones(64, 32), Tensor.Ones(100));
        foreach (var p in parameters) p.Grad = Tensor.Full(0.5f, p.Value.ShapeArray);
        optimizer.Step();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int s = 0; s < 5; s++) optimizer.Step();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void StateIsNamedByParameterAndBufferWithParameterShapes()
    {
        var (optimizer, parameters) = Model("adam", Tensor.Ones(2, 3), Tensor.Ones(4));
        parameters[0].Grad = Tensor.Ones(2, 3);  // "bias" has no gradient: no state
        optimizer.Step();
        var state = optimizer.StateDict();
        Assert.Equal(new Dictionary<string, long> { ["weight"] = 1 }, state.Steps);
        Assert.Equal(["weight.exp_avg", "weight.exp_avg_sq", "weight.max_exp_avg_sq"], state.Tensors.Keys.Order());
        Assert.All(state.Tensors.Values, t => Assert.True(t.HasShape(2, 3)));

        state.Tensors["weight.exp_avg"].Fill(99);  // a copy: the optimizer is unaffected
        Assert.NotEqual(99, optimizer.StateDict().Tensors["weight.exp_avg"].Span[0]);
        Assert.Equal([1f, 1f, 1f, 1f], parameters[1].Value.ToArray());
    }

    [Fact]
    public void ParametersWithoutGradientsAreSkippedAndKeepTheirStepCount()
    {
        var a = new Parameter(Tensor.Ones(3));
        var b = new Parameter(Tensor.Ones(3));
        var adam = new Adam([a, b], 0.1);
        a.Grad = Tensor.Ones(3);
        adam.Step();
        Assert.Equal([1f, 1f, 1f], b.Value.ToArray());
        b.Grad = Tensor.Ones(3);
        adam.Step();
        // b's first update has bias-corrected moments of a single gradient: exactly lr in size.
        Assert.Equal(1 - 0.1f, b.Value.Span[0], 6);
        Assert.Equal(new Dictionary<string, long> { ["0"] = 2, ["1"] = 1 }, adam.StateDict().Steps);
    }

    [Fact]
    public void SgdFirstStepUsesTheUndampenedGradient()
    {
        var p = new Parameter(Tensor.FromArray([1f], 1)) { Grad = Tensor.FromArray([2f], 1) };
        var sgd = new Sgd([p], 0.5, momentum: 0.9, dampening: 0.5);
        sgd.Step();
        Assert.Equal(0f, p.Value.Span[0]);  // 1 - 0.5 * 2: the buffer starts as the gradient itself
        sgd.Step();
        Assert.Equal(-1.4f, p.Value.Span[0], 6);  // buffer 0.9 * 2 + 0.5 * 2 = 2.8
    }

    [Fact]
    public void AdamWDecaysByDefaultAndAdamDoesNot()
    {
        Assert.Equal(0.01, new AdamW([new Parameter(Tensor.Ones(1))]).WeightDecay);
        Assert.Equal(0, new Adam([new Parameter(Tensor.Ones(1))]).WeightDecay);
    }

    [Fact]
    public void ZeroGradClearsOrDropsGradients()
    {
        var p = new Parameter(Tensor.Ones(2)) { Grad = Tensor.Ones(2) };
        var sgd = new Sgd([p], 0.1);
        var buffer = p.Grad;
        sgd.ZeroGrad();
        Assert.Same(buffer, p.Grad);
        Assert.Equal([0f, 0f], p.Grad!.ToArray());
        sgd.ZeroGrad(setToNone: true);
        Assert.Null(p.Grad);
    }

    [Fact]
    public void LoadStateRejectsMismatchedSnapshots()
    {
        var (adam, parameters) = Model("adam", Tensor.Ones(2, 3), Tensor.Ones(4));
        parameters[0].Grad = Tensor.Ones(2, 3);
        adam.Step();
        var good = adam.StateDict();
        OptimizerState With(Action<Dictionary<string, long>, Dictionary<string, Tensor>> edit)
        {
            var steps = new Dictionary<string, long>(good.Steps);
            var tensors = new Dictionary<string, Tensor>(good.Tensors);
            edit(steps, tensors);
            return new OptimizerState(good.LearningRate, steps, tensors);
        }
        Assert.Contains("'nope'", Assert.Throws<ArgumentException>(() => adam.LoadStateDict(With((s, _) => s["nope"] = 1))).Message);
        Assert.Contains("weight.exp_avg_sq", Assert.Throws<ArgumentException>(() => adam.LoadStateDict(With((_, t) => t.Remove("weight.exp_avg_sq")))).Message);
        var shape = Assert.Throws<ArgumentException>(() => adam.LoadStateDict(With((_, t) => t["weight.exp_avg"] = Tensor.Zeros(3, 2))));
        Assert.Contains("[3, 2]", shape.Message);
        Assert.Contains("[2, 3]", shape.Message);
        Assert.Contains("bias.exp_avg", Assert.Throws<ArgumentException>(() => adam.LoadStateDict(With((_, t) => t["bias.exp_avg"] = Tensor.Zeros(4)))).Message);
        Assert.Throws<ArgumentException>(() => adam.LoadStateDict(With((s, _) => s["weight"] = -1)));
        Assert.Throws<ArgumentException>(() => new Sgd(Named(Tensor.Ones(2, 3), Tensor.Ones(4)), 0.1, momentum: 0.9).LoadStateDict(good));
        adam.LoadStateDict(good);
    }

    [Fact]
    public void BadArgumentsNameTheValue()
    {
        Parameter[] ps = [new(Tensor.Ones(2))];
        Assert.Contains("-0.1", Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(ps, -0.1)).Message);
        Assert.Contains("NaN", Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(ps, double.NaN)).Message);
        Assert.Contains("1", Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(ps, beta1: 1.0)).Message);
        Assert.Contains("-0.5", Assert.Throws<ArgumentOutOfRangeException>(() => new AdamW(ps, beta2: -0.5)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(ps, epsilon: -1e-8));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AdamW(ps, weightDecay: -0.01));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(ps, 0.1, momentum: -0.9));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(ps, 0.1, weightDecay: -1));
        var nesterov = Assert.Throws<ArgumentException>(() => new Sgd(ps, 0.1, momentum: 0.9, dampening: 0.1, nesterov: true));
        Assert.Contains("dampening 0.1", nesterov.Message);
        Assert.Throws<ArgumentException>(() => new Sgd(ps, 0.1, nesterov: true));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RmsProp(ps, alpha: -0.99));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RmsProp(ps, momentum: -0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adagrad(ps, learningRateDecay: -0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adagrad(ps, initialAccumulatorValue: -0.1));
        Assert.Throws<ArgumentException>(() => new Sgd(Array.Empty<Parameter>(), 0.1));
        Assert.Throws<ArgumentException>(() => new Sgd([ps[0], ps[0]], 0.1));
        Assert.Throws<ArgumentException>(() => new Sgd([KeyValuePair.Create("w", ps[0]), KeyValuePair.Create("w", new Parameter(Tensor.Ones(1)))], 0.1));
        var sgd = new Sgd(ps, 0.1);
        Assert.Throws<ArgumentOutOfRangeException>(() => sgd.LearningRate = -1);
        ps[0].Grad = Tensor.Ones(3);
        var shape = Assert.Throws<InvalidOperationException>(sgd.Step);
        Assert.Contains("[2]", shape.Message);
        Assert.Contains("[3]", shape.Message);
    }

    private static KeyValuePair<string, Parameter>[] Named(Tensor weight, Tensor bias) =>
        [KeyValuePair.Create("weight", new Parameter(weight)), KeyValuePair.Create("bias", new Parameter(bias))];

    private static (Optimizer, Parameter[]) Model(string kind, Tensor weight, Tensor bias)
    {
        var named = Named(weight, bias);
        return (Create(kind, named), named.Select(kv => kv.Value).ToArray());
    }

    private static void Step(Optimizer optimizer, Parameter[] parameters, Tensor[] grads)
    {
        for (int i = 0; i < parameters.Length; i++) parameters[i].Grad = grads[i].Clone();
        optimizer.Step();
    }
}
