// B batch, T time, I input, H hidden, P projection, G gates (LSTM 4H i,f,g,o; GRU 3H r,z,n), L layers, D directions
using Recur.Autograd;

namespace Recur.NN;

/// <summary>
/// The parameters of one layer and direction (or of a cell), in PyTorch's order and layout: weight_ih [G, I],
/// weight_hh [G, Hout], bias_ih [G], bias_hh [G], weight_hr [P, H] (LSTM with projection; Hout = P, else Hout = H).
/// </summary>
internal sealed class CellWeights
{
    private CellWeights(Parameter weightIh, Parameter weightHh, Parameter? biasIh, Parameter? biasHh, Parameter? weightHr)
    {
        WeightIh = weightIh;
        WeightHh = weightHh;
        BiasIh = biasIh;
        BiasHh = biasHh;
        WeightHr = weightHr;
    }

    public Parameter WeightIh { get; }     // [G, I]
    public Parameter WeightHh { get; }     // [G, Hout]
    public Parameter? BiasIh { get; }      // [G]
    public Parameter? BiasHh { get; }      // [G]
    public Parameter? WeightHr { get; }    // [P, H]

    /// <summary>The parameters in PyTorch's registration order.</summary>
    public IEnumerable<Parameter> All()
    {
        yield return WeightIh;
        yield return WeightHh;
        if (BiasIh is not null) yield return BiasIh;
        if (BiasHh is not null) yield return BiasHh;
        if (WeightHr is not null) yield return WeightHr;
    }

    /// <summary>
    /// Creates and registers (through <paramref name="register"/>, named <c>weight_ih{suffix}</c>, ...) the parameters,
    /// each drawn U(-1/sqrt(H), 1/sqrt(H)) as PyTorch's reset_parameters.
    /// </summary>
    public static CellWeights Create(Func<string, Parameter, Parameter> register, string suffix, CellKind kind,
        int inputSize, int hiddenSize, int projSize, bool bias, RandomGenerator rng)
    {
        int g = kind.GateFactor() * hiddenSize;
        int hOut = projSize > 0 ? projSize : hiddenSize;
        float bound = 1f / MathF.Sqrt(hiddenSize);
        Parameter Make(string name, params int[] shape) => register(name + suffix, new Parameter(rng.Uniform(-bound, bound, shape)));
        var wih = Make("weight_ih", g, inputSize);
        var whh = Make("weight_hh", g, hOut);
        var bih = bias ? Make("bias_ih", g) : null;
        var bhh = bias ? Make("bias_hh", g) : null;
        var whr = projSize > 0 ? Make("weight_hr", projSize, hiddenSize) : null;
        return new CellWeights(wih, whh, bih, bhh, whr);
    }
}

/// <summary>Where the gradients of one <see cref="CellWeights"/> accumulate (null: not needed).</summary>
internal sealed record CellGrads(Tensor? WeightIh, Tensor? WeightHh, Tensor? BiasIh, Tensor? BiasHh, Tensor? WeightHr);
