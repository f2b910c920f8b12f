// B batch, T time, I input, H hidden, P projection, G gates (LSTM 4H i,f,g,o; GRU 3H r,z,n), L layers, D directions
using System.Numerics.Tensors;
using Recur.Autograd;

namespace Recur.NN;

/// <summary>
/// One cell step as one tape node: a <see cref="DirectionScan"/> of a single step over B rows, returning h' (and c'
/// for LSTM, both from one joint tensor [h' | c']).
/// </summary>
internal sealed class CellFunction : Function
{
    private DirectionScan _scan = null!;
    private int _batch, _hidden, _hIndex = -1, _cIndex = -1, _paramIndex;
    private CellWeights _weights = null!;
    private bool _lstm;

    public (Variable H, Variable? C) Forward(CellKind kind, CellWeights weights, Variable input, Variable? h, Variable? c, int batch, bool unbatched)
    {
        _weights = weights;
        _batch = batch;
        _hidden = weights.WeightHh.Size(1);
        _lstm = kind == CellKind.Lstm;
        int bh = batch * _hidden;
        int[] shape = unbatched ? [_hidden] : [batch, _hidden];
        var joint = _lstm ? new Tensor(2 * bh) : new Tensor(shape); // [h' | c']
        _scan = new DirectionScan(kind, SequenceLayout.Dense(1, batch), weights, reverse: false);
        ReadOnlySpan<float> h0 = h is null ? default : h.Value.Span;
        ReadOnlySpan<float> c0 = c is null ? default : c.Value.Span;
        var js = joint.Span;
        _scan.Forward(input.Value.Reshape(batch, weights.WeightIh.Size(1)), h0, c0, js[..bh], _lstm ? js[bh..] : default);

        var inputs = new List<Variable> { input };
        if (h is not null) { _hIndex = inputs.Count; inputs.Add(h); }
        if (c is not null) { _cIndex = inputs.Count; inputs.Add(c); }
        _paramIndex = inputs.Count;
        inputs.AddRange(weights.All());
        var jointVar = Record(joint, [.. inputs]);
        if (!_lstm) return (jointVar, null);
        return (new JointViewFunction().Forward(jointVar, 0, shape), new JointViewFunction().Forward(jointVar, bh, shape));
    }

    protected internal override void Backward(Tensor dOutput)
    {
        int bh = _batch * _hidden;
        var dj = dOutput.Span;
        bool hGrad = _hIndex >= 0 && NeedsGrad(_hIndex), cGrad = _cIndex >= 0 && NeedsGrad(_cIndex);
        var dH0 = new float[hGrad ? bh : 0]; // [B, H]
        var dC0 = new float[cGrad ? bh : 0]; // [B, H]
        var w = _weights;
        int i = _paramIndex;
        Tensor? Grad(int index) => NeedsGrad(index) ? GradOf(index) : null;
        var grads = new CellGrads(Grad(i), Grad(i + 1), w.BiasIh is null ? null : Grad(i + 2), w.BiasHh is null ? null : Grad(i + 3), null);
        _scan.Backward(dj[..bh], default, _lstm ? dj[bh..] : default, NeedsGrad(0) ? GradOf(0).Span : default, dH0, dC0, grads);
        if (hGrad) AddInto(GradOf(_hIndex).Span, dH0);
        if (cGrad) AddInto(GradOf(_cIndex).Span, dC0);
    }

    private static void AddInto(Span<float> destination, ReadOnlySpan<float> source) => TensorPrimitives.Add(destination, source, destination);
}
