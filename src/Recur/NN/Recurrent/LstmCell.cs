// B batch, T time, I input, H hidden, P projection, G gates (LSTM 4H i,f,g,o; GRU 3H r,z,n), L layers, D directions
using Recur.Autograd;

namespace Recur.NN;

/// <summary>
/// LSTM cell, as PyTorch's <c>nn.LSTMCell</c>, gates i, f, g, o (G = 4H): a = W_ih x + b_ih + W_hh h + b_hh,
/// i = sigmoid(a_i), f = sigmoid(a_f), g = tanh(a_g), o = sigmoid(a_o), c' = f * c + i * g, h' = o * tanh(c').
/// </summary>
public sealed class LstmCell : RecurrentCell
{
    /// <summary>Creates the cell; <paramref name="rng"/> defaults to <see cref="RandomGenerator.Default"/>.</summary>
    public LstmCell(int inputSize, int hiddenSize, bool bias = true, RandomGenerator? rng = null)
        : base(CellKind.Lstm, inputSize, hiddenSize, bias, rng)
    {
    }

    /// <summary>(h', c') [B, H] each, from input [B, I] and h, c [B, H] (null = zeros); unbatched [I] and [H] give [H].</summary>
    public (Variable H, Variable C) Forward(Variable input, Variable? h = null, Variable? c = null)
    {
        var (hNext, cNext) = Step(input, h, c);
        return (hNext, cNext!);
    }
}
