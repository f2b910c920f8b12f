// B batch, T time, I input, H hidden, P projection, G gates (LSTM 4H i,f,g,o; GRU 3H r,z,n), L layers, D directions
namespace Recur.NN;

/// <summary>
/// Elman RNN, as PyTorch's <c>nn.RNN</c>: h_t = act(W_ih x_t + b_ih + W_hh h_(t-1) + b_hh), act = tanh or relu,
/// with G = H. See <see cref="RecurrentLayer"/> for stacking, directions, lengths and parameter names.
/// </summary>
public sealed class Rnn : RecurrentLayer
{
    /// <summary>Creates the stack; <paramref name="rng"/> (default <see cref="RandomGenerator.Default"/>) draws the weights and the dropout masks.</summary>
    public Rnn(int inputSize, int hiddenSize, int numLayers = 1, RnnNonlinearity nonlinearity = RnnNonlinearity.Tanh, bool bias = true,
        bool batchFirst = false, double dropout = 0, bool bidirectional = false, RandomGenerator? rng = null)
        : base(CellKinds.Rnn(nonlinearity), inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional, 0, rng)
    {
        Nonlinearity = nonlinearity;
    }

    /// <summary>tanh or relu.</summary>
    public RnnNonlinearity Nonlinearity { get; }

    /// <inheritdoc/>
    public override System.Text.Json.Nodes.JsonObject GetConfig()
    {
        var o = base.GetConfig();
        o["nonlinearity"] = Nonlinearity == RnnNonlinearity.Relu ? "relu" : "tanh";
        return o;
    }
}
