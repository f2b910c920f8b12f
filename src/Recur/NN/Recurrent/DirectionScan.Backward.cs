// B batch, T time, I input, H hidden, P projection, G gates (LSTM 4H i,f,g,o; GRU 3H r,z,n), L layers, D directions
// N = sum of the lengths (packed rows, see SequenceLayout); Hout = P with a projection, else H.
using System.Buffers;
using System.Numerics.Tensors;
using Recur.Kernels;
using Recur.Kernels.Recurrent;

namespace Recur.NN;

internal sealed partial class DirectionScan
{
    /// <summary>
    /// Backpropagation through time. Only the dH (and dC) recurrence runs step by step, in the opposite order of the
    /// forward scan, storing each step's gate gradients [N, G]; then dW_ih, dW_hh, dW_hr, the bias gradients and dX
    /// are formed over all steps at once. Inputs (sorted order): <paramref name="dOutput"/> [N, Hout], the gradients of
    /// the final states <paramref name="dHN"/> [B, Hout] and <paramref name="dCN"/> [B, H] (empty = zeros).
    /// Accumulates into <paramref name="dX"/> [N, I] (skipped when empty) and <paramref name="grads"/>; overwrites
    /// <paramref name="dH0"/> [B, Hout] and <paramref name="dC0"/> [B, H] (skipped when empty).
    /// </summary>
    public void Backward(ReadOnlySpan<float> dOutput, ReadOnlySpan<float> dHN, ReadOnlySpan<float> dCN,
        Span<float> dX, Span<float> dH0, Span<float> dC0, CellGrads grads)
    {
        BackwardToGates(dOutput, dHN, dCN, dH0, dC0, grads);
        FinishInputGradient(dX);
    }

    private float[]? _dGatesIhArray, _dGatesHhArray; // [N, G] from the pool, between BackwardToGates and FinishInputGradient

    /// <summary>
    /// <see cref="Backward"/> up to, not including, dX: the step-by-step recurrence and the weight and bias gradients.
    /// The gate gradients stay for <see cref="FinishInputGradient"/>, so that the two directions of a layer can run this
    /// part side by side and then add their dX in order (the same sums as one after the other).
    /// </summary>
    public void BackwardToGates(ReadOnlySpan<float> dOutput, ReadOnlySpan<float> dHN, ReadOnlySpan<float> dCN,
        Span<float> dH0, Span<float> dC0, CellGrads grads)
    {
        var layout = _layout;
        int n = layout.Rows, batch = layout.Batch, steps = layout.Steps, g = _gates, hOut = _hOut, h = _hidden;
        bool gru = _kind == CellKind.Gru;
        // Step temporaries from the shared pool: every row of them is written before it is read.
        var pool = ArrayPool<float>.Shared;
        float[] dGatesIhArray = pool.Rent(n * g), dGatesHhArray = gru ? pool.Rent(n * g) : dGatesIhArray;
        var dGatesIh = Tensor.FromStorage(dGatesIhArray, 0, n, g); // [N, G] d loss / d input-side preactivation
        var dGatesHh = Tensor.FromStorage(dGatesHhArray, 0, n, g); // [N, G] d loss / d hidden-side preactivation
        var dHCarry = new float[batch * hOut];                    // [B, Hout] d loss / d state entering the next step processed
        var dCCarry = IsLstm ? new float[batch * h] : [];         // [B, H]
        var dHStep = new float[batch * hOut];                     // [B, Hout] total d loss / d h_t
        var dHFull = HasProjection ? new float[batch * h] : [];   // [B, H] d loss / d (o * tanh(c))
        var dHTotal = HasProjection ? new Tensor(n, hOut) : null; // [N, P] every step's dh_t, for dW_hr
        var wHh = _weights.WeightHh.Value.Span;
        using var packedHh = PackedWeights.Pack(layout.BatchSizes[0], transB: false, hOut, g, wHh, hOut); // W_hh as [G, Hout]
        // Bias gradients are column sums of the gate gradients, taken step by step while each step's rows are still in
        // cache rather than in passes over the whole [N, G] buffer afterwards. RNN and LSTM share one sum for both biases.
        var dBiasIh = grads.BiasIh is not null || (!gru && grads.BiasHh is not null) ? new float[g] : null; // [G]
        var dBiasHh = gru && grads.BiasHh is not null ? new float[g] : null;                                 // [G] GRU

        if (_reverse)
        {
            // The reverse scan ends at step 0 for every sequence.
            CopyRowsOrClear(dHN, 0, batch, hOut, dHCarry);
            if (IsLstm) CopyRowsOrClear(dCN, 0, batch, h, dCCarry);
        }
        for (int k = steps - 1; k >= 0; k--)
        {
            int t = _reverse ? steps - 1 - k : k;
            int b = layout.BatchSizes[t], row = layout.Offsets[t];
            int next = t + 1 < steps ? layout.BatchSizes[t + 1] : 0; // rows still active at step t + 1
            if (!_reverse)
            {
                // Rows next .. b-1 end at step t: their state is h_n.
                CopyRowsOrClear(dHN, next, b, hOut, dHCarry);
                if (IsLstm) CopyRowsOrClear(dCN, next, b, h, dCCarry);
            }
            var dh = dHStep.AsSpan(0, b * hOut);
            TensorPrimitives.Add(dHCarry.AsSpan(0, b * hOut), dOutput.Slice(row * hOut, b * hOut), dh);
            ReadOnlySpan<float> dCellH = dh;
            if (HasProjection)
            {
                dh.CopyTo(dHTotal!.Span.Slice(row * hOut, b * hOut));
                Gemm.Multiply(false, false, b, h, hOut, 1f, dh, hOut, _weights.WeightHr!.Value.Span, h, 0f, dHFull, h);
                dCellH = dHFull.AsSpan(0, b * h);
            }
            var dgi = dGatesIh.Span.Slice(row * g, b * g);
            var dgh = dGatesHh.Span.Slice(row * g, b * g);
            var dHPrev = dHCarry.AsSpan(0, b * hOut);
            int parts = HasProjection || _kind is not (CellKind.Lstm or CellKind.Gru) || packedHh.Packed is null ? 1 : ParallelStep.Parts(b, g, hOut);
            if (parts > 1)
            {
                new ParallelBackwardStep(_kind, b, h, hOut, g, ParallelStep.RowsPerPart(b, parts), packedHh.Packed!, _gateValues.Storage,
                    _gatesHh?.Storage, row * g, _cPrev?.Storage, _c?.Storage, row * h, _hPrev.Storage, row * hOut, dHStep, dCCarry,
                    dGatesIhArray, dGatesHhArray, dHCarry).Run(parts);
            }
            else
            {
                switch (_kind)
                {
                    case CellKind.RnnTanh:
                        RnnCellKernel.BackwardTanh(Output.Span.Slice(row * hOut, b * hOut), dCellH, dgi);
                        break;
                    case CellKind.RnnRelu:
                        RnnCellKernel.BackwardRelu(Output.Span.Slice(row * hOut, b * hOut), dCellH, dgi);
                        break;
                    case CellKind.Lstm:
                        LstmCellKernel.Backward(_gateValues.Span.Slice(row * g, b * g), _cPrev!.Span.Slice(row * h, b * h),
                            _c!.Span.Slice(row * h, b * h), dCellH, b, h, dCCarry.AsSpan(0, b * h), dgi);
                        break;
                    case CellKind.Gru:
                        GruCellKernel.Backward(_gateValues.Span.Slice(row * g, b * g), _gatesHh!.Span.Slice(row * g, b * g),
                            _hPrev.Span.Slice(row * hOut, b * hOut), dCellH, b, h, dgi, dgh, dHPrev);
                        break;
                }
                // d loss / d h_prev (+)= dGatesHh W_hh: [b, G] x [G, Hout]
                packedHh.Multiply(b, dgh, gru ? 1f : 0f, dHPrev);
            }
            if (dBiasIh is not null) RowKernels.AddColumnSums(dgi, b, dBiasIh);
            if (dBiasHh is not null) RowKernels.AddColumnSums(dgh, b, dBiasHh);
            if (_reverse)
            {
                // Rows next .. b-1 started at step t from the initial state.
                CopyRows(dHCarry, next, b, hOut, dH0);
                if (IsLstm) CopyRows(dCCarry, next, b, h, dC0);
            }
        }
        if (!_reverse)
        {
            CopyRows(dHCarry, 0, batch, hOut, dH0);
            if (IsLstm) CopyRows(dCCarry, 0, batch, h, dC0);
        }

        var gi = dGatesIh.Span;
        var gh = dGatesHh.Span;
        if (grads.WeightIh is { } dWIh) Gemm.Multiply(true, false, g, _inputSize, n, 1f, gi, g, _x.Span, _inputSize, 1f, dWIh.Span, _inputSize);
        if (grads.WeightHh is { } dWHh) Gemm.Multiply(true, false, g, hOut, n, 1f, gh, g, _hPrev.Span, hOut, 1f, dWHh.Span, hOut);
        if (grads.BiasIh is { } dBIh) TensorPrimitives.Add(dBIh.Span, dBiasIh, dBIh.Span);
        if (grads.BiasHh is { } dBHh) TensorPrimitives.Add(dBHh.Span, gru ? dBiasHh : dBiasIh, dBHh.Span);
        if (HasProjection && grads.WeightHr is { } dWHr)
            Gemm.Multiply(true, false, hOut, h, n, 1f, dHTotal!.Span, hOut, _hFull!.Span, h, 1f, dWHr.Span, h);
        _dGatesIhArray = dGatesIhArray;
        _dGatesHhArray = gru ? dGatesHhArray : null;
    }

    /// <summary>dX [N, I] += dGates [N, G] W_ih [G, I] (skipped when dX is empty); gives the gate gradients back to the pool.</summary>
    public void FinishInputGradient(Span<float> dX)
    {
        var gates = _dGatesIhArray ?? throw new InvalidOperationException("FinishInputGradient needs BackwardToGates first.");
        int n = _layout.Rows, g = _gates;
        if (!dX.IsEmpty) Gemm.Multiply(false, false, n, _inputSize, g, 1f, gates.AsSpan(0, n * g), g, _weights.WeightIh.Value.Span, _inputSize, 1f, dX, _inputSize);
        var pool = ArrayPool<float>.Shared;
        pool.Return(gates);
        if (_dGatesHhArray is not null) pool.Return(_dGatesHhArray);
        (_dGatesIhArray, _dGatesHhArray) = (null, null);
    }

    /// <summary>Rows [from, to) of <paramref name="source"/> (or zeros when it is empty) into the same rows of <paramref name="destination"/>.</summary>
    private static void CopyRowsOrClear(ReadOnlySpan<float> source, int from, int to, int width, Span<float> destination)
    {
        var dst = destination.Slice(from * width, (to - from) * width);
        if (source.IsEmpty) dst.Clear();
        else source.Slice(from * width, (to - from) * width).CopyTo(dst);
    }

    /// <summary>Rows [from, to) of <paramref name="source"/> into the same rows of <paramref name="destination"/>, unless it is empty.</summary>
    private static void CopyRows(ReadOnlySpan<float> source, int from, int to, int width, Span<float> destination)
    {
        if (destination.IsEmpty) return;
        source.Slice(from * width, (to - from) * width).CopyTo(destination.Slice(from * width, (to - from) * width));
    }
}
