// B batch, T time, I input, H hidden, P projection, G gates (LSTM 4H i,f,g,o; GRU 3H r,z,n), L layers, D directions
// N = sum of the lengths (packed rows, see SequenceLayout); Hout = P with a projection, else H.
using System.Numerics.Tensors;
using Recur.Autograd;
using Recur.Kernels;

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
        _scans = new DirectionScan[layers * dirs];
        _masks = new Tensor?[Math.Max(layers - 1, 0)];
        bool sideBySide = SideBySide;
        var states = new DirectionStates[dirs];
        for (int i = 0; i < states.Length; i++) states[i] = new DirectionStates(h0 is null ? 0 : batch * hOut, c0 is null ? 0 : batch * h, batch * hOut, spec.IsLstm ? batch * h : 0);
        for (int l = 0; l < layers; l++)
        {
            // A single-direction top layer over dense rows writes straight into the result.
            bool intoOutput = l == layers - 1 && dirs == 1 && _direct;
            var job = new ForwardJob(this, l, x, h0, c0, states, intoOutput ? Tensor.FromStorage(output.Storage, output.Offset, n, hOut) : null);
            if (sideBySide) KernelThreading.For(dirs, dirs, job, static (j, d) => j.Run(d, alone: true));
            else for (int d = 0; d < dirs; d++) job.Run(d, alone: false);
            for (int d = 0; d < dirs; d++)
            {
                int k = (l * dirs) + d;
                PackedRows.UnsortState(states[d].HN, layout, hOut, hN.Slice(k * batch * hOut, batch * hOut));
                if (spec.IsLstm) PackedRows.UnsortState(states[d].CN, layout, h, cN.Slice(k * batch * h, batch * h));
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

    // Two directions run side by side, one on each core, their kernels on one thread each (bitwise what one after the
    // other computes: they share no output, and dX is added in direction order afterwards).
    private bool SideBySide => _spec.Directions == 2 && KernelThreading.MaxThreads >= 2 && HelperThread.IsUseful;

    /// <summary>The sorted state buffers of one direction: [B, Hout] h0 and h_n, [B, H] c0 and c_n.</summary>
    private sealed class DirectionStates(int h0, int c0, int hN, int cN)
    {
        public readonly float[] H0 = new float[h0], C0 = new float[c0], HN = new float[hN], CN = new float[cN];
    }

    /// <summary>One layer's forward, run for each direction (on this thread, or side by side).</summary>
    private sealed class ForwardJob(StackFunction f, int layer, Tensor x, Tensor? h0, Tensor? c0, DirectionStates[] states, Tensor? into)
    {
        public void Run(int d, bool alone)
        {
            using var limit = alone ? KernelThreading.Limit(1) : default(KernelThreading.LimitScope?);
            var spec = f._spec;
            var layout = f._layout;
            int batch = layout.Batch, hOut = spec.OutSize, h = spec.HiddenSize, k = (layer * spec.Directions) + d;
            var s = states[d];
            if (h0 is not null) PackedRows.SortState(h0.Span.Slice(k * batch * hOut, batch * hOut), layout, hOut, s.H0);
            if (c0 is not null) PackedRows.SortState(c0.Span.Slice(k * batch * h, batch * h), layout, h, s.C0);
            var scan = f._scans[k] = new DirectionScan(spec.Kind, layout, f._weights[k], reverse: d == 1);
            scan.Forward(x, s.H0, s.C0, s.HN, s.CN, into);
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
        var dj = dOutput.Span; // [output | dh_n [L * D, B, Hout] | dc_n [L * D, B, H]]

        // [N, D * Hout] the packed gradient of a layer's output: in dOutput itself over dense rows, else gathered.
        float[] dYStorage = dOutput.Storage;
        int dYOffset = dOutput.Offset;
        if (!_direct)
        {
            dYStorage = new float[n * dirs * hOut];
            PackedRows.Gather(dj[.._outputLength], layout, _batchFirst, dirs * hOut, dYStorage);
            dYOffset = 0;
        }
        bool h0Grad = _h0Index >= 0 && NeedsGrad(_h0Index), c0Grad = _c0Index >= 0 && NeedsGrad(_c0Index);
        var grads = new DirectionGrads[dirs];
        for (int d = 0; d < dirs; d++)
            grads[d] = new DirectionGrads(dirs == 1 ? 0 : n * hOut, batch * hOut, spec.IsLstm ? batch * h : 0, h0Grad ? batch * hOut : 0, c0Grad ? batch * h : 0);
        bool sideBySide = SideBySide;
        for (int l = layers - 1; l >= 0; l--)
        {
            int inSize = spec.LayerInputSize(l);
            bool needX = l > 0 || NeedsGrad(0);
            var dX = new float[needX ? n * inSize : 0];               // [N, I or D * Hout]
            var job = new BackwardJob(this, l, dYStorage, dYOffset, dOutput, grads);
            if (sideBySide) KernelThreading.For(dirs, dirs, job, static (j, d) => j.Run(d, alone: true));
            else for (int d = 0; d < dirs; d++) job.Run(d, alone: false);
            for (int d = 0; d < dirs; d++)
            {
                int k = (l * dirs) + d;
                _scans[k].FinishInputGradient(dX); // in direction order: the same sums as one direction after the other
                if (h0Grad) PackedRows.UnsortStateAdd(grads[d].DH0, layout, hOut, GradOf(_h0Index).Span.Slice(k * batch * hOut, batch * hOut));
                if (c0Grad) PackedRows.UnsortStateAdd(grads[d].DC0, layout, h, GradOf(_c0Index).Span.Slice(k * batch * h, batch * h));
            }
            if (l > 0)
            {
                if (_masks[l - 1] is { } mask) TensorPrimitives.Multiply(dX, mask.Span, dX);
                (dYStorage, dYOffset) = (dX, 0);
            }
            else if (needX)
            {
                var dInput = GradOf(0).Span;
                if (_direct) TensorPrimitives.Add(dInput, dX, dInput);
                else PackedRows.ScatterAdd(dX, layout, _batchFirst, inSize, dInput);
            }
        }
    }

    /// <summary>One direction's gradient buffers (sorted order): its block of dY [N, Hout], dh_n, dc_n, dh_0, dc_0 [B, Hout or H].</summary>
    private sealed class DirectionGrads(int dY, int dHN, int dCN, int dH0, int dC0)
    {
        public readonly float[] DY = new float[dY], DHN = new float[dHN], DCN = new float[dCN], DH0 = new float[dH0], DC0 = new float[dC0];
    }

    /// <summary>One layer's backward up to dX, run for each direction (on this thread, or side by side).</summary>
    private sealed class BackwardJob(StackFunction f, int layer, float[] dYStorage, int dYOffset, Tensor dOutput, DirectionGrads[] grads)
    {
        public void Run(int d, bool alone)
        {
            using var limit = alone ? KernelThreading.Limit(1) : default(KernelThreading.LimitScope?);
            var spec = f._spec;
            var layout = f._layout;
            int dirs = spec.Directions, n = layout.Rows, batch = layout.Batch, hOut = spec.OutSize, h = spec.HiddenSize, k = (layer * dirs) + d;
            var g = grads[d];
            ReadOnlySpan<float> dY = dYStorage.AsSpan(dYOffset, n * dirs * hOut);
            if (dirs > 1)
            {
                PackedRows.TakeColumns(dY, n, dirs, d, hOut, g.DY);
                dY = g.DY;
            }
            var dj = dOutput.Span;
            PackedRows.SortState(dj.Slice(f._outputLength + (k * batch * hOut), batch * hOut), layout, hOut, g.DHN);
            if (spec.IsLstm) PackedRows.SortState(dj.Slice(f._outputLength + f._hLength + (k * batch * h), batch * h), layout, h, g.DCN);
            f._scans[k].BackwardToGates(dY, g.DHN, g.DCN, g.DH0, g.DC0, f.GradsOf(k));
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
        rng.FillKeepMask(m, p, keep);
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
