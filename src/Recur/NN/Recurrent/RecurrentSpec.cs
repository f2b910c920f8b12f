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

    /// <summary>
    /// PyTorch's shapes for T steps of B sequences: the output [T, B, D * Hout] ([B, T, D * Hout] batch-first,
    /// [T, D * Hout] unbatched), h_0 / h_n [L * D, B, Hout] and c_0 / c_n [L * D, B, H] (without B unbatched).
    /// </summary>
    public (int[] Output, int[] State, int[] Cell) Shapes(int steps, int batch, bool unbatched, bool batchFirst)
    {
        int ld = NumLayers * Directions, features = Directions * OutSize;
        if (unbatched) return ([steps, features], [ld, OutSize], [ld, HiddenSize]);
        return (batchFirst ? [batch, steps, features] : [steps, batch, features], [ld, batch, OutSize], [ld, batch, HiddenSize]);
    }
}
