// B batch, T time, I input, H hidden, P projection, G gates (LSTM 4H i,f,g,o; GRU 3H r,z,n), L layers, D directions
namespace Recur.NN;

/// <summary>
/// LSTM, as PyTorch's <c>nn.LSTM</c>, gates in the order i, f, g, o (G = 4H):
/// a = W_ih x_t + b_ih + W_hh h_(t-1) + b_hh; i = sigmoid(a_i), f = sigmoid(a_f), g = tanh(a_g), o = sigmoid(a_o);
/// c_t = f * c_(t-1) + i * g; h_t = o * tanh(c_t), then h_t = W_hr h_t when <c>projSize</c> P &gt; 0 (h is [.., P],
/// c stays [.., H]). See <see cref="RecurrentLayer"/> for stacking, directions, lengths and parameter names.
/// </summary>
public sealed class Lstm : RecurrentLayer
{
    /// <summary>Creates the stack; <paramref name="rng"/> (default <see cref="RandomGenerator.Default"/>) draws the weights and the dropout masks.</summary>
    public Lstm(int inputSize, int hiddenSize, int numLayers = 1, bool bias = true, bool batchFirst = false, double dropout = 0,
        bool bidirectional = false, int projSize = 0, RandomGenerator? rng = null)
        : base(CellKind.Lstm, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional, projSize, rng)
    {
    }
}
