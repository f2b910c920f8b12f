// B batch, I input, G gates (LSTM 4H i,f,g,o; GRU 3H r,z,n)
using Recur.Kernels;

namespace Recur.NN;

/// <summary>
/// The helper thread's half of a streaming step's gate products: columns [split, G) of one layer, or with packed
/// weights (B &lt;= 16) the second half of its gate panels. Preallocated with
/// its stream, so posting it allocates nothing; the first layer's input is copied into its own buffer because the
/// caller's span cannot be handed to another thread.
/// </summary>
internal sealed class StreamHalfJob(RecurrentStream stream, int inputLength) : IHelperJob
{
    private readonly float[] _input = new float[inputLength]; // [B, I] layer 0's input
    private float[] _x = [];
    private int _xOffset, _xLength, _layer, _inSize;
    private int _panel0 = -1, _panels; // packed weights (B <= 16): the gate panels to compute

    /// <summary>Prepares the job for gate panels [<paramref name="panel0"/>, + <paramref name="count"/>) of <paramref name="layer"/> (packed weights).</summary>
    public StreamHalfJob ForPanels(int layer, int panel0, int count)
    {
        (_layer, _panel0, _panels) = (layer, panel0, count);
        return this;
    }

    /// <summary>Prepares the job for <paramref name="layer"/> reading <paramref name="x"/> [B, inSize].</summary>
    public StreamHalfJob For(int layer, ReadOnlySpan<float> x, int inSize)
    {
        (_layer, _inSize, _panel0) = (layer, inSize, -1);
        if (layer == 0)
        {
            x.CopyTo(_input);
            (_x, _xOffset, _xLength) = (_input, 0, x.Length);
        }
        else
        {
            (_x, _xOffset, _xLength) = (stream.HiddenArray, (layer - 1) * x.Length, x.Length);
        }
        return this;
    }

    /// <summary>The layer's input as this job holds it (the same values as the caller's).</summary>
    public ReadOnlySpan<float> Input(int layer, ReadOnlySpan<float> x) => layer == 0 ? x : _x.AsSpan(_xOffset, _xLength);

    /// <inheritdoc/>
    public void Run()
    {
        if (_panel0 >= 0)
        {
            stream.PanelProducts(_layer, _panel0, _panels);
            return;
        }
        int g = stream.GateSize, split = stream.HalfSplit;
        stream.GateProducts(_layer, _x.AsSpan(_xOffset, _xLength), _inSize, split, g - split);
    }
}
