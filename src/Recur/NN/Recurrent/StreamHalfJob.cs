// B batch, I input, G gates (LSTM 4H i,f,g,o; GRU 3H r,z,n)
using Recur.Kernels;

namespace Recur.NN;

/// <summary>
/// The helper thread's half of a streaming step's gate products: columns [G/2, G) of one layer. Preallocated with
/// its stream, so posting it allocates nothing; the first layer's input is copied into its own buffer because the
/// caller's span cannot be handed to another thread.
/// </summary>
internal sealed class StreamHalfJob(RecurrentStream stream, int inputLength) : IHelperJob
{
    private readonly float[] _input = new float[inputLength]; // [B, I] layer 0's input
    private float[] _x = [];
    private int _xOffset, _xLength, _layer, _inSize;

    /// <summary>Prepares the job for <paramref name="layer"/> reading <paramref name="x"/> [B, inSize].</summary>
    public StreamHalfJob For(int layer, ReadOnlySpan<float> x, int inSize)
    {
        (_layer, _inSize) = (layer, inSize);
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
        int g = stream.GateSize;
        stream.GateProducts(_layer, _x.AsSpan(_xOffset, _xLength), _inSize, g / 2, g - (g / 2));
    }
}
