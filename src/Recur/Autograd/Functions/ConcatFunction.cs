namespace Recur.Autograd.Functions;

/// <summary>Y = the inputs joined along one dimension. Backward hands each input its slice of dY.</summary>
internal sealed class ConcatFunction : Function
{
    private Axis[] _axes = [];
    private int _outN, _inner, _outer;

    public Variable Forward(Variable[] xs, int dim)
    {
        if (xs.Length == 0) throw new ArgumentException("Concat needs at least one input.");
        int rank = xs[0].Rank;
        int d = Tensor.NormalizeDim(dim, rank);
        int[] shape = xs[0].Value.ShapeArray;
        shape[d] = 0;
        foreach (var x in xs)
        {
            for (int i = 0; i < rank; i++)
                if (x.Rank != rank || (i != d && x.Size(i) != xs[0].Size(i)))
                    throw new ArgumentException($"Concat along dimension {d} expects shapes matching {Tensor.FormatShape(xs[0].Shape)} except in that dimension, but got {Tensor.FormatShape(x.Shape)}.");
            shape[d] += x.Size(d);
        }
        _axes = Array.ConvertAll(xs, x => Axis.Of(x.Shape, d));
        var outAxis = Axis.Of(shape, d);
        (_outer, _outN, _inner) = outAxis;
        var y = new Tensor(shape);
        var ys = y.Span;
        int start = 0;
        for (int k = 0; k < xs.Length; k++)
        {
            int block = _axes[k].N * _inner;
            var src = xs[k].Value.Span;
            for (int o = 0; o < _outer; o++)
                src.Slice(o * block, block).CopyTo(ys.Slice(o * _outN * _inner + start * _inner, block));
            start += _axes[k].N;
        }
        return Record(y, xs);
    }

    protected internal override void Backward(Tensor dOutput)
    {
        var g = dOutput.Span;
        int start = 0;
        for (int k = 0; k < Inputs.Length; k++)
        {
            int block = _axes[k].N * _inner;
            if (NeedsGrad(k))
            {
                var d = GradOf(k).Span;
                for (int o = 0; o < _outer; o++)
                {
                    var src = g.Slice(o * _outN * _inner + start * _inner, block);
                    var dst = d.Slice(o * block, block);
                    System.Numerics.Tensors.TensorPrimitives.Add(dst, src, dst);
                }
            }
            start += _axes[k].N;
        }
    }
}
