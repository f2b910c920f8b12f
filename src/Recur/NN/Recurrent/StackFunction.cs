// B batch, T time, I input, H hidden, P projection, G gates (LSTM 4H i,f,g,o; GRU 3H r,z,n), L layers, D directions
// N = sum of the lengths (packed rows, see SequenceLayout); Hout = P with a projection, else H.
using System.Numerics.Tensors;
using Recur.Autograd;

namespace Recur.NN;

/// <summary>
/// A whole recurrent stack as one tape node: layers x directions of <see cref="DirectionScan"/> over the packed batch,
/// dropout between layers (not after the last), and the joint result [output | h_n | c_n] in the caller's order.
/// Its backward runs the scans' BPTT from the top layer down.
/// </summary>
internal sealed class StackFunction : Function
{
    private RecurrentSpec _spec = null!;
    private CellWeights[] _weights = [];     // [L * D]
    private DirectionScan[] _scans = [];     // [L * D]
    private Tensor?[] _masks = [];           // [L - 1] dropout masks [N, D * Hout] of 0 or 1 / (1 - p)
    private SequenceLayout _layout = null!;
    private bool _released;                  // ReleaseGraph ran: the scans' buffers are back in the pool
    private bool _batchFirst, _direct;       // direct: the padded rows are the packed rows (dense, time-major)
    private int _h0Index = -1, _c0Index = -1;
    private int[] _paramIndex = [];          // [L * D] input index of each weight set's weight_ih
    private int _outputLength, _hLength;     // elements of the padded output and of h_n in the joint result

    public RecurrentResult Forward(RecurrentSpec spec, CellWeights[] weights, Variable input, Variable? h0, Variable? c0,
        SequenceLayout layout, bool batchFirst, bool unbatched, double dropout, RandomGenerator rng)
    {
        Setup(spec, weights, layout, batchFirst);
        int batch = layout.Batch, steps = layout.Steps;
        var shapes = spec.Shapes(steps, batch, unbatched, batchFirst);
        int cLength = spec.IsLstm ? Tensor.ElementCount(shapes.Cell) : 0;
        // [output | h_n | c_n]; over dense rows every element is written, so it need not be cleared.
        int jointLength = _outputLength + _hLength + cLength;
        var joint = Tensor.FromArray(Tensor.Allocate(jointLength, clear: !_direct), jointLength);
        var js = joint.Span;
        Run(input.Value, h0?.Value, c0?.Value, dropout, rng, Tensor.FromStorage(joint.Storage, 0, _outputLength),
            js.Slice(_outputLength, _hLength), js.Slice(_outputLength + _hLength, cLength));

        var inputs = new List<Variable> { input };
        if (h0 is not null) { _h0Index = inputs.Count; inputs.Add(h0); }
        if (c0 is not null) { _c0Index = inputs.Count; inputs.Add(c0); }
        _paramIndex = new int[weights.Length];
        for (int k = 0; k < weights.Length; k++)
        {
            _paramIndex[k] = inputs.Count;
            inputs.AddRange(weights[k].All());
        }
        var jointVar = Record(joint, [.. inputs]);
        if (jointVar.Creator is null) ReleaseGraph(); // nothing recorded: no backward will read the scans' buffers

        var output = new JointViewFunction().Forward(jointVar, 0, shapes.Output);
        var hN = new JointViewFunction().Forward(jointVar, _outputLength, shapes.State);
        var cN = spec.IsLstm ? new JointViewFunction().Forward(jointVar, _outputLength + _hLength, shapes.Cell) : null;
        return new RecurrentResult(output, hN, cN);
    }

    /// <summary>
    /// Runs the stack without recording anything, writing the output, h_n and c_n straight into the caller's tensors
    /// (<see cref="RecurrentLayer.ForwardInto"/>): no joint result is allocated, and the scans' buffers go back to the
    /// pool at once.
    /// </summary>
    public void Infer(RecurrentSpec spec, CellWeights[] weights, Tensor input, Tensor? h0, Tensor? c0, SequenceLayout layout,
        bool batchFirst, double dropout, RandomGenerator rng, Tensor output, Span<float> hN, Span<float> cN)
    {
        Setup(spec, weights, layout, batchFirst);
        if (!_direct) output.Span.Clear(); // rows past each sequence's length stay zero
        try
        {
            Run(input, h0, c0, dropout, rng, output, hN, cN);
        }
        finally
        {
            ReleaseGraph();
        }
    }

    private void Setup(RecurrentSpec spec, CellWeights[] weights, SequenceLayout layout, bool batchFirst)
    {
        (_spec, _weights, _layout, _batchFirst) = (spec, weights, layout, batchFirst);
        _direct = layout.IsDense && (!batchFirst || layout.Batch == 1);
        _outputLength = layout.Steps * layout.Batch * spec.Directions * spec.OutSize;
        _hLength = spec.NumLayers * spec.Directions * layout.Batch * spec.OutSize;
    }

    /// <summary>
    /// The scans of every layer and direction: the top layer's output into <paramref name="output"/> (its storage
    /// from its offset, in the caller's layout), the final states into <paramref name="hN"/> [L * D, B, Hout] and
    /// <paramref name="cN"/> [L * D, B, H] (LSTM).
    /// </summary>
    private void Run(Tensor input, Tensor? h0, Tensor? c0, double dropout, RandomGenerator rng, Tensor output, Span<float> hN, Span<float> cN)
    {
        var spec = _spec;
        var layout = _layout;
        int layers = spec.NumLayers, dirs = spec.Directions, hOut = spec.OutSize, h = spec.HiddenSize;
        int batch = layout.Batch, n = layout.Rows;
        var outSpan = output.Span[.._outputLength];

        Tensor x = _direct ? input.Reshape(n, spec.InputSize) : new Tensor(n, spec.InputSize); // [N, I]
        if (!_direct) PackedRows.Gather(input.Span, layout, _batchFirst, spec.InputSize, x.Span);
        var h0Sorted = new float[h0 is null ? 0 : batch * hOut];   // [B, Hout]
        var c0Sorted = new float[c0 is null ? 0 : batch * h];      // [B, H]
        var hNSorted = new float[batch * hOut];                    // [B, Hout]
        var cNSorted = new float[spec.IsLstm ? batch * h : 0];     // [B, H]
        _scans = new DirectionScan[layers * dirs];
        _masks = new Tensor?[Math.Max(layers - 1, 0)];
        for (int l = 0; l < layers; l++)
        {
            for (int d = 0; d < dirs; d++)
            {
                int k = l * dirs + d;
                if (h0 is not null) PackedRows.SortState(h0.Span.Slice(k * batch * hOut, batch * hOut), layout, hOut, h0Sorted);
                if (c0 is not null) PackedRows.SortState(c0.Span.Slice(k * batch * h, batch * h), layout, h, c0Sorted);
                var scan = _scans[k] = new DirectionScan(spec.Kind, layout, _weights[k], reverse: d == 1);
                // A single-direction top layer over dense rows writes straight into the result.
                bool intoOutput = l == layers - 1 && dirs == 1 && _direct;
                scan.Forward(x, h0Sorted, c0Sorted, hNSorted, cNSorted, intoOutput ? Tensor.FromStorage(output.Storage, output.Offset, n, hOut) : null);
                PackedRows.UnsortState(hNSorted, layout, hOut, hN.Slice(k * batch * hOut, batch * hOut));
                if (spec.IsLstm) PackedRows.UnsortState(cNSorted, layout, h, cN.Slice(k * batch * h, batch * h));
            }
            var y = LayerOutput(l); // [N, D * Hout]
            if (l < layers - 1)
            {
                x = dropout > 0 ? ApplyDropout(l, y, dropout, rng) : y;
            }
            else if (!_direct)
            {
                PackedRows.Scatter(y.Span, layout, _batchFirst, dirs * hOut, outSpan);
            }
            else if (dirs > 1)
            {
                y.Span.CopyTo(outSpan); // one direction alone wrote its output in place
            }
        }
    }

    /// <summary>Gives every scan's forward buffers back to the pool; a later <see cref="Backward"/> throws.</summary>
    protected internal override void ReleaseGraph()
    {
        foreach (var scan in _scans) scan?.ReturnBuffers(); // null: a failed run stopped before this scan
        _released = true;
    }

    protected internal override void Backward(Tensor dOutput)
    {
        if (_released)
            throw new InvalidOperationException("The recurrent layer's saved states were freed by the previous backward pass (retainGraph: false, the default); run the forward again, or pass retainGraph: true to the first Backward to backpropagate twice.");
        var spec = _spec;
        var layout = _layout;
        int layers = spec.NumLayers, dirs = spec.Directions, hOut = spec.OutSize, h = spec.HiddenSize;
        int batch = layout.Batch, n = layout.Rows;
        var dj = dOutput.Span;
        var dHNAll = dj.Slice(_outputLength, _hLength);              // [L * D, B, Hout]
        var dCNAll = dj[(_outputLength + _hLength)..];               // [L * D, B, H]

        ReadOnlySpan<float> dY = dj[.._outputLength];                 // [N, D * Hout] packed gradient of a layer's output
        if (!_direct)
        {
            var packed = new float[n * dirs * hOut];
            PackedRows.Gather(dj[.._outputLength], layout, _batchFirst, dirs * hOut, packed);
            dY = packed;
        }
        var dYDir = new float[dirs == 1 ? 0 : n * hOut];              // [N, Hout] one direction's block
        var dHN = new float[batch * hOut];                            // [B, Hout] sorted
        var dCN = new float[spec.IsLstm ? batch * h : 0];             // [B, H] sorted
        bool h0Grad = _h0Index >= 0 && NeedsGrad(_h0Index), c0Grad = _c0Index >= 0 && NeedsGrad(_c0Index);
        var dH0 = new float[h0Grad ? batch * hOut : 0];               // [B, Hout] sorted
        var dC0 = new float[c0Grad ? batch * h : 0];                  // [B, H] sorted
        for (int l = layers - 1; l >= 0; l--)
        {
            int inSize = spec.LayerInputSize(l);
            bool needX = l > 0 || NeedsGrad(0);
            var dX = new float[needX ? n * inSize : 0];               // [N, I or D * Hout]
            for (int d = 0; d < dirs; d++)
            {
                int k = l * dirs + d;
                ReadOnlySpan<float> dYd = dY;
                if (dirs > 1)
                {
                    PackedRows.TakeColumns(dY, n, dirs, d, hOut, dYDir);
                    dYd = dYDir;
                }
                PackedRows.SortState(dHNAll.Slice(k * batch * hOut, batch * hOut), layout, hOut, dHN);
                if (spec.IsLstm) PackedRows.SortState(dCNAll.Slice(k * batch * h, batch * h), layout, h, dCN);
                _scans[k].Backward(dYd, dHN, dCN, dX, dH0, dC0, GradsOf(k));
                if (h0Grad) PackedRows.UnsortStateAdd(dH0, layout, hOut, GradOf(_h0Index).Span.Slice(k * batch * hOut, batch * hOut));
                if (c0Grad) PackedRows.UnsortStateAdd(dC0, layout, h, GradOf(_c0Index).Span.Slice(k * batch * h, batch * h));
            }
            if (l > 0)
            {
                if (_masks[l - 1] is { } mask) TensorPrimitives.Multiply(dX, mask.Span, dX);
                dY = dX;
            }
            else if (needX)
            {
                var dInput = GradOf(0).Span;
                if (_direct) TensorPrimitives.Add(dInput, dX, dInput);
                else PackedRows.ScatterAdd(dX, layout, _batchFirst, inSize, dInput);
            }
        }
    }

    /// <summary>[N, D * Hout] the layer's output, both directions side by side.</summary>
    private Tensor LayerOutput(int layer)
    {
        int dirs = _spec.Directions;
        if (dirs == 1) return _scans[layer].Output;
        int n = _layout.Rows, hOut = _spec.OutSize;
        var y = new Tensor(n, dirs * hOut);
        for (int d = 0; d < dirs; d++) PackedRows.PutColumns(_scans[(layer * dirs) + d].Output.Span, n, dirs, d, hOut, y.Span);
        return y;
    }

    /// <summary>Inverted dropout on a layer's output: y * m with m = 1 / (1 - p) with probability 1 - p, else 0.</summary>
    private Tensor ApplyDropout(int layer, Tensor y, double p, RandomGenerator rng)
    {
        var mask = new Tensor(y.ShapeArray);
        var m = mask.Span;
        float keep = p >= 1 ? 0f : (float)(1.0 / (1.0 - p));
        for (int i = 0; i < m.Length; i++) m[i] = rng.NextDouble() >= p ? keep : 0f;
        _masks[layer] = mask;
        var x = new Tensor(y.ShapeArray);
        TensorPrimitives.Multiply(y.Span, m, x.Span);
        return x;
    }

    private CellGrads GradsOf(int k)
    {
        var w = _weights[k];
        int i = _paramIndex[k];
        Tensor? Grad(int index) => NeedsGrad(index) ? GradOf(index) : null;
        var wih = Grad(i++);
        var whh = Grad(i++);
        var bih = w.BiasIh is null ? null : Grad(i++);
        var bhh = w.BiasHh is null ? null : Grad(i++);
        var whr = w.WeightHr is null ? null : Grad(i);
        return new CellGrads(wih, whh, bih, bhh, whr);
    }
}
