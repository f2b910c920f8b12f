// B batch, T time, I input, H hidden, P projection, G gates (LSTM 4H i,f,g,o; GRU 3H r,z,n), L layers, D directions
namespace Recur.NN;

/// <summary>The shape options of a recurrent stack: cell, I, H, P (0 = none), L, D and whether it has biases.</summary>
internal sealed record RecurrentSpec(CellKind Kind, int InputSize, int HiddenSize, int ProjSize, int NumLayers, int Directions, bool HasBias)
{
    /// <summary>Hout: the size of h (P with a projection, else H).</summary>
    public int OutSize => ProjSize > 0 ? ProjSize : HiddenSize;

    /// <summary>G</summary>
    public int GateSize => Kind.GateFactor() * HiddenSize;

    /// <summary>I for layer 0, D * Hout above it.</summary>
    public int LayerInputSize(int layer) => layer == 0 ? InputSize : Directions * OutSize;

    public bool IsLstm => Kind == CellKind.Lstm;
}
