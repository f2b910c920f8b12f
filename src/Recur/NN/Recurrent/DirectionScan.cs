// B batch, T time, I input, H hidden, P projection, G gates (LSTM 4H i,f,g,o; GRU 3H r,z,n), L layers, D directions
// N = sum of the lengths (packed rows, see SequenceLayout); Hout = P with a projection, else H.
using System.Buffers;
using System.Numerics.Tensors;
using Recur.Kernels;
using Recur.Kernels.Recurrent;

namespace Recur.NN;

/// <summary>
/// One layer in one direction over a packed batch (as ATen's packed layer): one GEMM projects the input of all steps,
/// then each step runs one recurrent GEMM over its active rows and one fused cell kernel. The reverse direction walks
/// the steps from T-1 to 0, so each sequence starts at its own last step. Everything backward needs is kept here;
/// <see cref="Backward"/> does not modify it, so it can run more than once. The kept buffers are rented from the
/// shared array pool (so repeated passes reuse memory that is already mapped instead of faulting in fresh pages) and
/// go back with <see cref="ReturnBuffers"/> once nothing will read them again.
/// </summary>
internal sealed partial class DirectionScan
{
    private readonly CellKind _kind;
    private readonly SequenceLayout _layout;
    private readonly CellWeights _weights;
    private readonly bool _reverse;
    private readonly int _inputSize, _hidden, _hOut, _gates; // I, H, Hout, G

    private Tensor _x = null!;        // [N, I] the layer input (shared, not copied)
    private Tensor _gateValues = null!; // [N, G] RNN: preactivation; LSTM: i, f, g, o; GRU: r, z, n
    private Tensor? _gatesHh;         // [N, G] GRU: h_prev W_hh^T + b_hh
    private Tensor _hPrev = null!;    // [N, Hout] the state each step started from
    private Tensor? _cPrev, _c;       // [N, H] LSTM cell state before and after each step
    private Tensor? _hFull;           // [N, H] LSTM with projection: o * tanh(c), before W_hr
    private readonly List<float[]> _rented = [];

    public DirectionScan(CellKind kind, SequenceLayout layout, CellWeights weights, bool reverse)
    {
        _kind = kind;
        _layout = layout;
        _weights = weights;
        _reverse = reverse;
        _inputSize = weights.WeightIh.Size(1);
        _hOut = weights.WeightHh.Size(1);
        _gates = weights.WeightIh.Size(0);
        _hidden = _gates / kind.GateFactor();
    }

    /// <summary>[N, Hout] the hidden state after every step: the direction's output.</summary>
    public Tensor Output { get; private set; } = null!;

    private bool IsLstm => _kind == CellKind.Lstm;

    private bool HasProjection => _weights.WeightHr is not null;

    /// <summary>
    /// Runs the scan over <paramref name="x"/> [N, I] from the initial states (sorted order; empty = zeros)
    /// <paramref name="h0"/> [B, Hout] and <paramref name="c0"/> [B, H], writing each sequence's final states to
    /// <paramref name="hN"/> [B, Hout] and <paramref name="cN"/> [B, H] (LSTM). The outputs go to
    /// <paramref name="outputInto"/> [N, Hout] when given (the caller's result, saving a copy), else to a pooled buffer.
    /// </summary>
    public void Forward(Tensor x, ReadOnlySpan<float> h0, ReadOnlySpan<float> c0, Span<float> hN, Span<float> cN, Tensor? outputInto = null)
    {
        var layout = _layout;
        int n = layout.Rows, g = _gates, hOut = _hOut, h = _hidden;
        _x = x;
        // Every buffer below is fully written before it is read, so rented (dirty) arrays are fine.
        _gateValues = Rent(n, g);
        _hPrev = Rent(n, hOut);
        Output = outputInto ?? Rent(n, hOut);
        if (IsLstm) (_cPrev, _c) = (Rent(n, h), Rent(n, h));
        if (HasProjection) _hFull = Rent(n, h);
        if (_kind == CellKind.Gru) _gatesHh = Rent(n, g);

        var cellBias = ProjectInput(x.Span, n, _gateValues.Span); // LSTM, GRU: added by the cell kernel

        var gates = _gateValues.Span;
        var wHh = _weights.WeightHh.Value.Span;
        using var packedHh = PackedWeights.Pack(layout.BatchSizes[0], transB: true, g, hOut, wHh, hOut); // W_hh^T
        var bHh = _kind == CellKind.Gru && _weights.BiasHh is not null ? _weights.BiasHh.Value.Span : default;
        for (int k = 0; k < layout.Steps; k++)
        {
            int t = _reverse ? layout.Steps - 1 - k : k;
            int b = layout.BatchSizes[t], row = layout.Offsets[t];
            var hPrev = _hPrev.Span.Slice(row * hOut, b * hOut);       // [b, Hout]
            var output = Output.Span.Slice(row * hOut, b * hOut);     // [b, Hout]
            var gateRows = gates.Slice(row * g, b * g);               // [b, G]
            int parts = HasProjection || _kind is not (CellKind.Lstm or CellKind.Gru) || packedHh.Packed is null ? 1 : ParallelStep.Parts(b, g, hOut);
            int prev = _reverse ? t + 1 : t - 1;
            // A split step whose rows all continue from the previous step copies them in its parts (each thread its
            // own rows); otherwise the states are loaded here.
            bool copyInParts = parts > 1 && prev >= 0 && prev < layout.Steps && layout.BatchSizes[prev] >= b;
            if (!copyInParts)
            {
                LoadState(Output.Span, t, h0, hOut, hPrev);
                if (IsLstm) LoadState(_c!.Span, t, c0, h, _cPrev!.Span.Slice(row * h, b * h));
            }
            if (parts > 1)
            {
                int prevRow = copyInParts ? layout.Offsets[prev] : 0;
                new ParallelStep(_kind, b, h, hOut, g, ParallelStep.RowsPerPart(b, parts), packedHh.Packed!, cellBias, _hPrev.Storage, row * hOut, _gateValues.Storage, row * g,
                    _gatesHh?.Storage, bHh.IsEmpty ? null : _weights.BiasHh!.Value, _cPrev?.Storage, _c?.Storage, row * h,
                    Output.Storage, Output.Offset + (row * hOut),
                    CarriedHAt: copyInParts ? Output.Offset + (prevRow * hOut) : -1, CarriedCAt: copyInParts && IsLstm ? prevRow * h : -1).Run(parts);
                continue;
            }
            switch (_kind)
            {
                case CellKind.RnnTanh:
                case CellKind.RnnRelu:
                    packedHh.Multiply(b, hPrev, 1f, gateRows);
                    if (_kind == CellKind.RnnTanh) RnnCellKernel.ForwardTanh(gateRows, output);
                    else RnnCellKernel.ForwardRelu(gateRows, output);
                    break;
                case CellKind.Lstm:
                    var cPrev = _cPrev!.Span.Slice(row * h, b * h);      // [b, H]
                    var c = _c!.Span.Slice(row * h, b * h);              // [b, H]
                    packedHh.Multiply(b, hPrev, 1f, gateRows);
                    if (HasProjection)
                    {
                        var hFull = _hFull!.Span.Slice(row * h, b * h);  // [b, H]
                        LstmCellKernel.Forward(gateRows, cellBias, cPrev, b, h, c, hFull);
                        Gemm.Multiply(false, true, b, hOut, h, 1f, hFull, h, _weights.WeightHr!.Value.Span, h, 0f, output, hOut);
                    }
                    else
                    {
                        LstmCellKernel.Forward(gateRows, cellBias, cPrev, b, h, c, output);
                    }
                    break;
                case CellKind.Gru:
                    var gh = _gatesHh!.Span.Slice(row * g, b * g);       // [b, G]
                    packedHh.Multiply(b, hPrev, 0f, gh);
                    GruCellKernel.Forward(gateRows, cellBias, gh, bHh, hPrev, b, h, output);
                    break;
            }
        }

        for (int s = 0; s < layout.Batch; s++)
        {
            int row = layout.Offsets[layout.LastStep(s, _reverse)] + s;
            Output.Span.Slice(row * hOut, hOut).CopyTo(hN.Slice(s * hOut, hOut));
            if (IsLstm) _c!.Span.Slice(row * h, h).CopyTo(cN.Slice(s * h, h));
        }
    }

    /// <summary>
    /// Gives the forward buffers (gates, states and <see cref="Output"/>) back to the shared pool. After this,
    /// neither <see cref="Output"/> nor <see cref="Backward"/> may be used until the next <see cref="Forward"/>.
    /// </summary>
    public void ReturnBuffers()
    {
        foreach (var array in _rented) ArrayPool<float>.Shared.Return(array);
        _rented.Clear();
    }

    /// <summary>A [rows, cols] tensor over a pooled array (not cleared), returned by <see cref="ReturnBuffers"/>.</summary>
    private Tensor Rent(int rows, int cols)
    {
        var array = ArrayPool<float>.Shared.Rent(Math.Max(1, rows * cols));
        _rented.Add(array);
        return Tensor.FromStorage(array, 0, rows, cols);
    }

    /// <summary>
    /// gates [N, G] = x W_ih^T, plus for the plain RNN its bias b_ih + b_hh on every row (its backward reads the
    /// preactivation back). LSTM and GRU cells add their input-side bias themselves (b_ih + b_hh for the LSTM, whose
    /// two biases simply add; b_ih for the GRU): that row is returned (null without biases), which saves writing it
    /// over all N rows and reading it back in the GEMM.
    /// </summary>
    private float[]? ProjectInput(ReadOnlySpan<float> x, int n, Span<float> gates)
    {
        int g = _gates;
        float[]? row = null; // [G]
        if (_weights.BiasIh is not null)
        {
            row = new float[g];
            _weights.BiasIh.Value.Span.CopyTo(row);
            if (_kind != CellKind.Gru) TensorPrimitives.Add(row, _weights.BiasHh!.Value.Span, row);
        }
        bool inCell = _kind is CellKind.Lstm or CellKind.Gru;
        if (row is not null && !inCell) RowKernels.FillRows(row, n, gates);
        Gemm.Multiply(false, true, n, g, _inputSize, 1f, x, _inputSize, _weights.WeightIh.Value.Span, _inputSize, row is not null && !inCell ? 1f : 0f, gates, g);
        return inCell ? row : null;
    }

    /// <summary>
    /// The state step <paramref name="t"/> starts from, [b, F]: rows still running come from the previous step of
    /// this direction (<paramref name="previous"/>, [N, F]); rows starting here (all at the first step, and in the
    /// reverse direction each sequence at its own last step) come from <paramref name="initial"/> [B, F] (empty = zeros).
    /// </summary>
    private void LoadState(ReadOnlySpan<float> previous, int t, ReadOnlySpan<float> initial, int f, Span<float> destination)
    {
        var layout = _layout;
        int b = layout.BatchSizes[t];
        int prev = _reverse ? t + 1 : t - 1;
        int carried = prev >= 0 && prev < layout.Steps ? Math.Min(b, layout.BatchSizes[prev]) : 0;
        if (carried > 0) previous.Slice(layout.Offsets[prev] * f, carried * f).CopyTo(destination);
        var fresh = destination.Slice(carried * f, (b - carried) * f);
        if (initial.IsEmpty) fresh.Clear();
        else initial.Slice(carried * f, (b - carried) * f).CopyTo(fresh);
    }
}
