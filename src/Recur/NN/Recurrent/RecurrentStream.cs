// B batch, T time, I input, H hidden, P projection, G gates (LSTM 4H i,f,g,o; GRU 3H r,z,n), L layers, D directions
// Hout = P with a projection, else H.
using System.Numerics.Tensors;
using Recur.Kernels;
using Recur.Kernels.Recurrent;

namespace Recur.NN;

/// <summary>
/// Streaming inference over B independent streams of a unidirectional recurrent stack: each <see cref="Step"/> reads
/// one time step [B, I], advances every layer's state (kept between calls) and writes the top layer's h [B, Hout].
/// All buffers are allocated here, so stepping allocates nothing. It records nothing on the autograd tape and never
/// applies dropout. Not thread-safe.
/// <para>
/// Weights: biases and the projection are read on every step. Up to 16 streams W_ih and W_hh are packed once
/// into the layout of <see cref="PanelGemv"/> and packed again when their <see cref="Autograd.Variable.Version"/>
/// moves, which optimizer steps and <c>LoadStateDict</c> do; code that writes into a weight's values itself calls
/// <see cref="Autograd.Variable.MarkChanged"/>. The packed copy takes about as much memory as W_ih and W_hh (columns
/// padded to a whole panel). With more streams W_ih^T and W_hh^T are packed for the blocked GEMM in the same way
/// (repacked when their version moves), so no step packs them again.
/// </para>
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
    private readonly LayerPanels[]? _panels; // [L] B <= PanelMaxBatch: packed weights and the layer's input [x | h]
    private readonly LayerPacked[]? _packed; // [L] B > PanelMaxBatch: W_ih^T and W_hh^T packed for the blocked GEMM
    private readonly int _split;             // first gate column of the helper's half

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
        if (batchSize <= PanelMaxBatch)
        {
            _panels = new LayerPanels[spec.NumLayers];
            for (int l = 0; l < spec.NumLayers; l++) _panels[l] = new LayerPanels(spec.Kind, g, spec.LayerInputSize(l), spec.OutSize, batchSize);
        }
        else
        {
            _packed = new LayerPacked[spec.NumLayers];
            for (int l = 0; l < spec.NumLayers; l++) _packed[l] = new LayerPacked(g, spec.LayerInputSize(l), spec.OutSize);
            // The halves start on a packed panel, so each can run on its own panels.
            int nr = Gemm.PackedPanelWidth;
            _split = Math.Max(nr, g / 2 / nr * nr);
            if (_split >= g) _half = null;
        }
    }

    /// <summary>
    /// One layer's W_ih^T and W_hh^T packed once for <see cref="Gemm.MultiplyPacked(int, int, int, float, ReadOnlySpan{float}, int, ReadOnlySpan{float}, float, Span{float}, int)"/>
    /// (more streams than <see cref="PanelMaxBatch"/>: the blocked GEMM would otherwise pack them on every step), with
    /// the weight versions they were packed from. Bitwise the same products as the GEMM packing them itself.
    /// </summary>
    private sealed class LayerPacked(int gates, int inSize, int hOut)
    {
        public readonly float[] Ih = new float[Gemm.PackedBLength(gates, inSize)]; // W_ih^T [I, G]
        public readonly float[] Hh = new float[Gemm.PackedBLength(gates, hOut)];   // W_hh^T [Hout, G]
        private long _versionIh = -1, _versionHh = -1;

        public void Refresh(CellWeights w)
        {
            if (w.WeightIh.Version != _versionIh)
            {
                _versionIh = w.WeightIh.Version;
                Gemm.PackB(true, gates, inSize, w.WeightIh.Value.Span, inSize, Ih);
            }
            if (w.WeightHh.Version != _versionHh)
            {
                _versionHh = w.WeightHh.Version;
                Gemm.PackB(true, gates, hOut, w.WeightHh.Value.Span, hOut, Hh);
            }
        }
    }

    // Up to this many streams read the panels of PanelGemv (rows in pairs), beyond them the blocked GEMM's packing.
    // Measured per LSTM step (I64 H256) against the weights read in place, as the stream did before (dot-product tiles
    // up to 12 rows, the blocked GEMM packing W per call beyond): B = 4 15 vs 24 us, 8: 25 vs 47, 12: 44 vs 73,
    // 16: 57 vs 72 (a busy machine: ratios, not absolute times).
    private const int PanelMaxBatch = 16;

    /// <summary>
    /// One layer's weights packed for <see cref="PanelGemv"/>: [W_ih | W_hh] over the inner dimension I + Hout for RNN and
    /// LSTM (one product of the input [x | h]), W_ih and W_hh apart for GRU (whose reset gate scales the hidden side
    /// only), with the weight versions they were packed from.
    /// </summary>
    private sealed class LayerPanels(CellKind kind, int gates, int inSize, int hOut, int batch)
    {
        public readonly int InSize = inSize, HOut = hOut;
        public readonly bool Joint = kind != CellKind.Gru;
        public readonly AlignedFloats Packed = new(PanelGemv.PackedLength(gates, kind != CellKind.Gru ? inSize + hOut : inSize));
        public readonly AlignedFloats? PackedHh = kind != CellKind.Gru ? null : new(PanelGemv.PackedLength(gates, hOut));
        public readonly float[] Input = new float[batch * (inSize + hOut)]; // [B, I + Hout]: [x | h] per stream
        private long _versionIh = -1, _versionHh = -1;

        public void Refresh(CellWeights w)
        {
            if (w.WeightIh.Version == _versionIh && w.WeightHh.Version == _versionHh) return;
            (_versionIh, _versionHh) = (w.WeightIh.Version, w.WeightHh.Version);
            int k = Joint ? InSize + HOut : InSize;
            PanelGemv.Pack(w.WeightIh.Value.Span, gates, InSize, InSize, Packed.Span, k, 0);
            if (Joint) PanelGemv.Pack(w.WeightHh.Value.Span, gates, HOut, HOut, Packed.Span, k, InSize);
            else PanelGemv.Pack(w.WeightHh.Value.Span, gates, HOut, HOut, PackedHh!.Span, HOut, 0);
        }
    }

    /// <summary>
    /// Gate panels [p0, p0 + count) of layer <paramref name="layer"/> (B &lt;= 16) from its packed weights and its input
    /// [x | h]: RNN and LSTM gates = x W_ih^T + h W_hh^T, GRU gates = x W_ih^T and gatesHh = h W_hh^T. Each column is
    /// computed alone, so any split gives the same values as one call.
    /// </summary>
    internal void PanelProducts(int layer, int p0, int count)
    {
        var lp = _panels![layer];
        int g = _spec.GateSize, b = BatchSize, ldx = lp.InSize + lp.HOut;
        if (lp.Joint)
        {
            PanelGemv.Multiply(lp.Packed.Span, g, ldx, b, lp.Input, ldx, _gates, g, p0, count);
        }
        else
        {
            PanelGemv.Multiply(lp.Packed.Span, g, lp.InSize, b, lp.Input, ldx, _gates, g, p0, count);
            PanelGemv.Multiply(lp.PackedHh!.Span, g, lp.HOut, b, lp.Input.AsSpan(lp.InSize), ldx, _gatesHh, g, p0, count);
        }
    }

    /// <summary>First gate column of the helper thread's half of the gate products.</summary>
    internal int HalfSplit => _split;

    /// <summary>Panels of one layer's gate columns (packed weights).</summary>
    internal int GatePanels => PanelGemv.Panels(_spec.GateSize);

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
    /// Gate columns [c0, c0 + cols) of layer <paramref name="layer"/> (more than 16 streams) from its packed weights:
    /// gates = x W_ih^T and, for RNN and LSTM, gates += h W_hh^T; for GRU gatesHh = h W_hh^T. c0 is 0 or the helper's
    /// split, both on a packed panel boundary. Columns are independent, so any split gives the same values as one call.
    /// </summary>
    internal void GateProducts(int layer, ReadOnlySpan<float> x, int inSize, int c0, int cols)
    {
        int batch = BatchSize, hOut = _spec.OutSize, g = _spec.GateSize;
        var state = _h.AsSpan(layer * batch * hOut, batch * hOut); // [B, Hout]
        var lp = _packed![layer];
        Gemm.MultiplyPacked(batch, cols, inSize, 1f, x, inSize, lp.Ih.AsSpan(c0 * inSize), 0f, _gates.AsSpan(c0), g);
        var hh = lp.Hh.AsSpan(c0 * hOut);
        if (_spec.Kind == CellKind.Gru) Gemm.MultiplyPacked(batch, cols, hOut, 1f, state, hOut, hh, 0f, _gatesHh.AsSpan(c0), g);
        else Gemm.MultiplyPacked(batch, cols, hOut, 1f, state, hOut, hh, 1f, _gates.AsSpan(c0), g);
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
            // LSTM and GRU cells add their bias (as the layer does); the plain RNN's goes on its gates after the products.
            ReadOnlySpan<float> cellBias = default;
            if (bias)
            {
                if (_spec.Kind == CellKind.Gru) cellBias = w.BiasIh!.Value.Span;
                else
                {
                    TensorPrimitives.Add(w.BiasIh!.Value.Span, w.BiasHh!.Value.Span, _bias);
                    if (_spec.Kind == CellKind.Lstm) cellBias = _bias;
                }
            }
            if (_panels is not null)
            {
                var lp = _panels[l];
                lp.Refresh(w);
                for (int r = 0; r < batch; r++)
                {
                    var row = lp.Input.AsSpan(r * (inSize + hOut), inSize + hOut);
                    x.Slice(r * inSize, inSize).CopyTo(row);
                    state.Slice(r * hOut, hOut).CopyTo(row[inSize..]);
                }
                int panels = GatePanels, mine = panels / 2;
                if (_half is not null && panels >= 2 && HelperThread.IsUseful && HelperThread.Shared.TryPost(_half.ForPanels(l, mine, panels - mine)))
                {
                    // The helper computes the panels [P/2, P), this thread [0, P/2): each core reads half the weights.
                    PanelProducts(l, 0, mine);
                    HelperThread.Shared.Complete(_half);
                }
                else
                {
                    PanelProducts(l, 0, panels);
                }
            }
            else
            {
                _packed![l].Refresh(w);
                if (_half is not null && HelperThread.IsUseful && HelperThread.Shared.TryPost(_half.For(l, x, inSize)))
                {
                    // The helper computes the gate columns [split, G), this thread [0, split): each core reads half the weights.
                    GateProducts(l, _half.Input(l, x), inSize, 0, _split);
                    HelperThread.Shared.Complete(_half);
                }
                else
                {
                    GateProducts(l, x, inSize, 0, g);
                }
            }
            if (bias && _spec.Kind is CellKind.RnnTanh or CellKind.RnnRelu)
            {
                for (int r = 0; r < batch; r++)
                {
                    var gateRow = _gates.AsSpan(r * g, g);
                    TensorPrimitives.Add(gateRow, _bias, gateRow);
                }
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
