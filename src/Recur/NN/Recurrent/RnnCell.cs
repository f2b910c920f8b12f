// B batch, T time, I input, H hidden, P projection, G gates (LSTM 4H i,f,g,o; GRU 3H r,z,n), L layers, D directions
using Recur.Autograd;

namespace Recur.NN;

/// <summary>Elman cell, as PyTorch's <c>nn.RNNCell</c>: h' = act(W_ih x + b_ih + W_hh h + b_hh), act = tanh or relu (G = H).</summary>
public sealed class RnnCell : RecurrentCell
{
    /// <summary>Creates the cell; <paramref name="rng"/> defaults to <see cref="RandomGenerator.Default"/>.</summary>
    public RnnCell(int inputSize, int hiddenSize, bool bias = true, RnnNonlinearity nonlinearity = RnnNonlinearity.Tanh, RandomGenerator? rng = null)
        : base(CellKinds.Rnn(nonlinearity), inputSize, hiddenSize, bias, rng)
    {
        Nonlinearity = nonlinearity;
    }

    /// <summary>tanh or relu.</summary>
    public RnnNonlinearity Nonlinearity { get; }

    /// <summary>h' [B, H] from input [B, I] and h [B, H] (null = zeros); unbatched [I] and [H] give [H].</summary>
    public Variable Forward(Variable input, Variable? h = null) => Step(input, h, null).H;
}
