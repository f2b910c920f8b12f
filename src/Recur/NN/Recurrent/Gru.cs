// B batch, T time, I input, H hidden, P projection, G gates (LSTM 4H i,f,g,o; GRU 3H r,z,n), L layers, D directions
namespace Recur.NN;

/// <summary>
/// GRU, as PyTorch's <c>nn.GRU</c>, gates in the order r, z, n (G = 3H):
/// r = sigmoid(W_ir x + b_ir + W_hr h + b_hr), z = sigmoid(W_iz x + b_iz + W_hz h + b_hz),
/// n = tanh(W_in x + b_in + r * (W_hn h + b_hn)), h_t = (1 - z) * n + z * h_(t-1).
/// See <see cref="RecurrentLayer"/> for stacking, directions, lengths and parameter names.
/// </summary>
public sealed class Gru : RecurrentLayer
{
    /// <summary>Creates the stack; <paramref name="rng"/> (default <see cref="RandomGenerator.Default"/>) draws the weights and the dropout masks.</summary>
    public Gru(int inputSize, int hiddenSize, int numLayers = 1, bool bias = true, bool batchFirst = false, double dropout = 0,
        bool bidirectional = false, RandomGenerator? rng = null)
        : base(CellKind.Gru, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional, 0, rng)
    {
    }
}
