// B batch, T time, I input, H hidden, P projection, G gates (LSTM 4H i,f,g,o; GRU 3H r,z,n), L layers, D directions
using Recur.Autograd;

namespace Recur.NN;

/// <summary>
/// The base of <see cref="RnnCell"/>, <see cref="LstmCell"/> and <see cref="GruCell"/>: one time step, owning no
/// state. Parameters as PyTorch's cells: <c>weight_ih</c> [G, I], <c>weight_hh</c> [G, H], <c>bias_ih</c> [G],
/// <c>bias_hh</c> [G], all drawn U(-1/sqrt(H), 1/sqrt(H)). Input is [B, I] (or [I] unbatched), states [B, H] (or [H]).
/// </summary>
public abstract class RecurrentCell : Module
{
    private readonly CellKind _kind;
    private readonly CellWeights _weights;

    private protected RecurrentCell(CellKind kind, int inputSize, int hiddenSize, bool bias, RandomGenerator? rng)
    {
        if (inputSize <= 0) throw new ArgumentOutOfRangeException(nameof(inputSize), $"Expected a positive input size but got {inputSize}.");
        if (hiddenSize <= 0) throw new ArgumentOutOfRangeException(nameof(hiddenSize), $"Expected a positive hidden size but got {hiddenSize}.");
        _kind = kind;
        _weights = CellWeights.Create(RegisterParameter, "", kind, inputSize, hiddenSize, 0, bias, rng ?? RandomGenerator.Default);
        InputSize = inputSize;
        HiddenSize = hiddenSize;
    }

    /// <summary>I</summary>
    public int InputSize { get; }

    /// <summary>H</summary>
    public int HiddenSize { get; }

    /// <summary>True when the cell has bias_ih and bias_hh.</summary>
    public bool HasBias => _weights.BiasIh is not null;

    /// <summary>weight_ih [G, I]</summary>
    public Parameter WeightIh => _weights.WeightIh;

    /// <summary>weight_hh [G, H]</summary>
    public Parameter WeightHh => _weights.WeightHh;

    /// <summary>bias_ih [G], or null without bias.</summary>
    public Parameter? BiasIh => _weights.BiasIh;

    /// <summary>bias_hh [G], or null without bias.</summary>
    public Parameter? BiasHh => _weights.BiasHh;

    private protected (Variable H, Variable? C) Step(Variable input, Variable? h, Variable? c)
    {
        string module = GetType().Name;
        var (batch, unbatched) = RecurrentChecks.CellInput(module, input, InputSize);
        RecurrentChecks.State(module, nameof(h), h, unbatched ? [HiddenSize] : [batch, HiddenSize], unbatched ? "[H]" : "[B, H]");
        RecurrentChecks.State(module, nameof(c), c, unbatched ? [HiddenSize] : [batch, HiddenSize], unbatched ? "[H]" : "[B, H]");
        return new CellFunction().Forward(_kind, _weights, input, h, c, batch, unbatched);
    }
}
