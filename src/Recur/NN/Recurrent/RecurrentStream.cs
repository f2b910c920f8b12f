// B batch, T time, I input, H hidden, P projection, G gates (LSTM 4H i,f,g,o; GRU 3H r,z,n), L layers, D directions
// Hout = P with a projection, else H.
using System.Numerics.Tensors;
using Recur.Kernels;
using Recur.Kernels.Recurrent;

namespace Recur.NN;

/// <summary>
/// Streaming inference over B independent streams of a unidirectional recurrent stack: each <see cref="Step"/> reads
/// one time step [B, I], advances every layer's state (kept between calls) and writes the top layer's h [B, Hout].
/// All buffers are allocated here, so stepping allocates nothing. It reads the layer's current weights on every
/// step, records nothing on the autograd tape and never applies dropout. Not thread-safe.
/// </summary>
public sealed class RecurrentStream
{
    private readonly RecurrentSpec _spec;
    private readonly CellWeights[] _weights; // [L]
    private readonly float[] _h;             // [L, B, Hout]
    private readonly float[] _c;             // [L, B, H] (LSTM)
    private readonly float[] _gates;         // [B, G]
    private readonly float[] _gatesHh;       // [B, G] (GRU)
    private readonly float[] _hFull;         // [B, H] (LSTM with projection)
    private readonly float[] _bias;          // [G] b_ih + b_hh (RNN, LSTM)
    private readonly StreamHalfJob? _half;   // the helper thread's half of the gate products, when worth it

    internal RecurrentStream(RecurrentSpec spec, CellWeights[] weights, int batchSize)
    {
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), $"Expected a positive number of streams but got {batchSize}.");
        _spec = spec;
        _weights = weights;
        BatchSize = batchSize;
        int g = spec.GateSize, h = spec.HiddenSize;
        _h = new float[spec.NumLayers * batchSize * spec.OutSize];
        _c = new float[spec.IsLstm ? spec.NumLayers * batchSize * h : 0];
        _gates = new float[batchSize * g];
        _gatesHh = new float[spec.Kind == CellKind.Gru ? batchSize * g : 0];
        _hFull = new float[spec.ProjSize > 0 ? batchSize * h : 0];
        _bias = new float[g];
        // Splitting pays when the weights no longer fit one core's L2 (about 1 MiB on the machines measured).
        long weightBytes = 4L * g * (spec.InputSize + spec.OutSize);
        if (weightBytes >= HalfJobMinBytes && g >= 8) _half = new StreamHalfJob(this, batchSize * spec.InputSize);
    }

    // Weights (W_ih and W_hh of the first layer) from this size up are split across two cores.
    private const long HalfJobMinBytes = 512 * 1024;

    /// <summary>The hidden state array [L, B, Hout], for the helper thread's job.</summary>
    internal float[] HiddenArray => _h;

    /// <summary>G: gate columns per layer.</summary>
    internal int GateSize => _spec.GateSize;

    /// <summary>B: the number of streams.</summary>
    public int BatchSize { get; }

    /// <summary>I: features of each stream's input step.</summary>
    public int InputSize => _spec.InputSize;

    /// <summary>Hout: features of each stream's output step.</summary>
    public int OutputSize => _spec.OutSize;

    /// <summary>The hidden state [L, B, Hout]; writable, to start streams from a given state.</summary>
    public Span<float> Hidden => _h;

    /// <summary>The LSTM cell state [L, B, H] (empty for RNN and GRU); writable.</summary>
    public Span<float> Cell => _c;

    /// <summary>Sets every stream's state to zero.</summary>
    public void Reset()
    {
        Array.Clear(_h);
        Array.Clear(_c);
    }

    /// <summary>Sets the state of stream <paramref name="stream"/> to zero in every layer, leaving the other streams running.</summary>
    public void Reset(int stream)
    {
        if ((uint)stream >= (uint)BatchSize)
            throw new ArgumentOutOfRangeException(nameof(stream), $"Stream {stream} is outside [0, {BatchSize}).");
        int hOut = _spec.OutSize, h = _spec.HiddenSize;
        for (int l = 0; l < _spec.NumLayers; l++)
        {
            _h.AsSpan(((l * BatchSize) + stream) * hOut, hOut).Clear();
            if (_spec.IsLstm) _c.AsSpan(((l * BatchSize) + stream) * h, h).Clear();
        }
    }

    /// <summary>
    /// Gate columns [c0, c0 + cols) of layer <paramref name="layer"/>: gates = x W_ih^T (RNN: += on top of the bias
    /// already there) and, for RNN and LSTM, gates += h W_hh^T; for GRU gatesHh = h W_hh^T. Columns are independent,
    /// so any split gives the same values as one call.
    /// </summary>
    internal void GateProducts(int layer, ReadOnlySpan<float> x, int inSize, int c0, int cols)
    {
        var w = _weights[layer];
        int batch = BatchSize, hOut = _spec.OutSize, g = _spec.GateSize;
        var state = _h.AsSpan(layer * batch * hOut, batch * hOut); // [B, Hout]
        float betaIh = w.BiasIh is not null && _spec.Kind is CellKind.RnnTanh or CellKind.RnnRelu ? 1f : 0f;
        Gemm.Multiply(false, true, batch, cols, inSize, 1f, x, inSize, w.WeightIh.Value.Span[(c0 * inSize)..], inSize, betaIh, _gates.AsSpan(c0), g);
        var wHh = w.WeightHh.Value.Span[(c0 * hOut)..];
        if (_spec.Kind == CellKind.Gru) Gemm.Multiply(false, true, batch, cols, hOut, 1f, state, hOut, wHh, hOut, 0f, _gatesHh.AsSpan(c0), g);
        else Gemm.Multiply(false, true, batch, cols, hOut, 1f, state, hOut, wHh, hOut, 1f, _gates.AsSpan(c0), g);
    }

    /// <summary>
    /// Advances every stream by one step: <paramref name="input"/> [B, I] is x_t, <paramref name="output"/> [B, Hout]
    /// receives the top layer's h_t (the same values as the full forward's output at step t).
    /// </summary>
    public void Step(ReadOnlySpan<float> input, Span<float> output)
    {
        int batch = BatchSize, hOut = _spec.OutSize, h = _spec.HiddenSize, g = _spec.GateSize;
        if (input.Length != batch * InputSize)
            throw new ArgumentException($"Expected input [B, I] = [{batch}, {InputSize}] ({batch * InputSize} values) but got {input.Length} values.", nameof(input));
        if (output.Length != batch * hOut)
            throw new ArgumentException($"Expected output [B, Hout] = [{batch}, {hOut}] ({batch * hOut} values) but got {output.Length} values.", nameof(output));
        ReadOnlySpan<float> x = input;
        int inSize = InputSize;
        for (int l = 0; l < _spec.NumLayers; l++)
        {
            var w = _weights[l];
            var state = _h.AsSpan(l * batch * hOut, batch * hOut); // [B, Hout]
            bool bias = w.BiasIh is not null;
            // The plain RNN's bias is on its rows before the products; LSTM and GRU cells add theirs (as the layer does).
            ReadOnlySpan<float> cellBias = default;
            if (bias)
            {
                if (_spec.Kind == CellKind.Gru) cellBias = w.BiasIh!.Value.Span;
                else
                {
                    TensorPrimitives.Add(w.BiasIh!.Value.Span, w.BiasHh!.Value.Span, _bias);
                    if (_spec.Kind == CellKind.Lstm) cellBias = _bias;
                    else RowKernels.FillRows(_bias, batch, _gates);
                }
            }
            if (_half is not null && HelperThread.IsUseful && HelperThread.Shared.TryPost(_half.For(l, x, inSize)))
            {
                // The helper computes the gate columns [G/2, G), this thread [0, G/2): each core reads half the weights.
                GateProducts(l, _half.Input(l, x), inSize, 0, g / 2);
                HelperThread.Shared.Complete(_half);
            }
            else
            {
                GateProducts(l, x, inSize, 0, g);
            }
            switch (_spec.Kind)
            {
                case CellKind.RnnTanh:
                    RnnCellKernel.ForwardTanh(_gates, state);
                    break;
                case CellKind.RnnRelu:
                    RnnCellKernel.ForwardRelu(_gates, state);
                    break;
                case CellKind.Lstm:
                    var c = _c.AsSpan(l * batch * h, batch * h); // [B, H]
                    if (w.WeightHr is null) LstmCellKernel.Forward(_gates, cellBias, c, batch, h, c, state);
                    else
                    {
                        LstmCellKernel.Forward(_gates, cellBias, c, batch, h, c, _hFull);
                        Gemm.Multiply(false, true, batch, hOut, h, 1f, _hFull, h, w.WeightHr.Value.Span, h, 0f, state, hOut);
                    }
                    break;
                case CellKind.Gru:
                    GruCellKernel.Forward(_gates, cellBias, _gatesHh, bias ? w.BiasHh!.Value.Span : default, state, batch, h, state);
                    break;
            }
            x = state;
            inSize = hOut;
        }
        x.CopyTo(output);
    }
}
