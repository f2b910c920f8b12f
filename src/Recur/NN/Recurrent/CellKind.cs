// B batch, T time, I input, H hidden, P projection, G gates (LSTM 4H i,f,g,o; GRU 3H r,z,n), L layers, D directions
namespace Recur.NN;

/// <summary>The nonlinearity of an Elman <see cref="Rnn"/> or <see cref="RnnCell"/>: h = act(W_ih x + b_ih + W_hh h + b_hh).</summary>
public enum RnnNonlinearity
{
    /// <summary>act = tanh (PyTorch's default, <c>"tanh"</c>).</summary>
    Tanh,

    /// <summary>act = max(., 0) (<c>"relu"</c>).</summary>
    Relu,
}

/// <summary>Which cell a recurrent layer runs.</summary>
internal enum CellKind
{
    RnnTanh,
    RnnRelu,
    Lstm,
    Gru,
}

internal static class CellKinds
{
    /// <summary>Gate rows per hidden unit: G = GateFactor * H.</summary>
    public static int GateFactor(this CellKind kind) => kind switch
    {
        CellKind.Lstm => 4,
        CellKind.Gru => 3,
        _ => 1,
    };

    public static CellKind Rnn(RnnNonlinearity nonlinearity) => nonlinearity switch
    {
        RnnNonlinearity.Tanh => CellKind.RnnTanh,
        RnnNonlinearity.Relu => CellKind.RnnRelu,
        _ => throw new ArgumentOutOfRangeException(nameof(nonlinearity), $"Unknown nonlinearity {nonlinearity}; expected Tanh or Relu."),
    };
}
