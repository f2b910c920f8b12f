// B batch, T time, I input, H hidden, P projection, G gates (LSTM 4H i,f,g,o; GRU 3H r,z,n), L layers, D directions
using Recur.Autograd;

namespace Recur.NN;

/// <summary>
/// GRU cell, as PyTorch's <c>nn.GRUCell</c>, gates r, z, n (G = 3H): r = sigmoid(W_ir x + b_ir + W_hr h + b_hr),
/// z = sigmoid(W_iz x + b_iz + W_hz h + b_hz), n = tanh(W_in x + b_in + r * (W_hn h + b_hn)), h' = (1 - z) * n + z * h.
/// </summary>
public sealed class GruCell : RecurrentCell
{
    /// <summary>Creates the cell; <paramref name="rng"/> defaults to <see cref="RandomGenerator.Default"/>.</summary>
    public GruCell(int inputSize, int hiddenSize, bool bias = true, RandomGenerator? rng = null)
        : base(CellKind.Gru, inputSize, hiddenSize, bias, rng)
    {
    }

    /// <summary>h' [B, H] from input [B, I] and h [B, H] (null = zeros); unbatched [I] and [H] give [H].</summary>
    public Variable Forward(Variable input, Variable? h = null) => Step(input, h, null).H;
}
