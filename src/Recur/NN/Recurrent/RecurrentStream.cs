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
    }

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
            if (bias)
            {
                if (_spec.Kind == CellKind.Gru) RowKernels.FillRows(w.BiasIh!.Value.Span, batch, _gates);
                else
                {
                    TensorPrimitives.Add(w.BiasIh!.Value.Span, w.BiasHh!.Value.Span, _bias);
                    RowKernels.FillRows(_bias, batch, _gates);
                }
            }
            Gemm.Multiply(false, true, batch, g, inSize, 1f, x, inSize, w.WeightIh.Value.Span, inSize, bias ? 1f : 0f, _gates, g);
            var wHh = w.WeightHh.Value.Span;
            switch (_spec.Kind)
            {
                case CellKind.RnnTanh:
                case CellKind.RnnRelu:
                    Gemm.Multiply(false, true, batch, g, hOut, 1f, state, hOut, wHh, hOut, 1f, _gates, g);
                    if (_spec.Kind == CellKind.RnnTanh) RnnCellKernel.ForwardTanh(_gates, state);
                    else RnnCellKernel.ForwardRelu(_gates, state);
                    break;
                case CellKind.Lstm:
                    var c = _c.AsSpan(l * batch * h, batch * h); // [B, H]
                    Gemm.Multiply(false, true, batch, g, hOut, 1f, state, hOut, wHh, hOut, 1f, _gates, g);
                    if (w.WeightHr is null) LstmCellKernel.Forward(_gates, c, batch, h, c, state);
                    else
                    {
                        LstmCellKernel.Forward(_gates, c, batch, h, c, _hFull);
                        Gemm.Multiply(false, true, batch, hOut, h, 1f, _hFull, h, w.WeightHr.Value.Span, h, 0f, state, hOut);
                    }
                    break;
                case CellKind.Gru:
                    Gemm.Multiply(false, true, batch, g, hOut, 1f, state, hOut, wHh, hOut, 0f, _gatesHh, g);
                    GruCellKernel.Forward(_gates, _gatesHh, bias ? w.BiasHh!.Value.Span : default, state, batch, h, state);
                    break;
            }
            x = state;
            inSize = hOut;
        }
        x.CopyTo(output);
    }
}
