namespace Recur.Autograd.Functions;

/// <summary>Y = X[.., start : start + length, ..] along one dimension (a copy). Backward adds dY into that range.</summary>
internal sealed class SliceFunction : Function
{
    private Axis _axis;
    private int _start, _length;

    public Variable Forward(Variable x, int dim, int start, int length)
    {
        int d = Tensor.NormalizeDim(dim, x.Rank);
        _axis = Axis.Of(x.Shape, d);
        if (start < 0 || length < 0 || start > _axis.N - length)
            throw new ArgumentOutOfRangeException(nameof(start), $"Slice [{start}, {start + length}) is outside dimension {d} of size {_axis.N} (shape {Tensor.FormatShape(x.Shape)}).");
        _start = start;
        _length = length;
        int[] shape = x.Value.ShapeArray;
        shape[d] = length;
        var y = new Tensor(shape);
        var xs = x.Value.Span;
        var ys = y.Span;
        var (outer, n, inner) = _axis;
        int block = length * inner;
        for (int o = 0; o < outer; o++)
            xs.Slice(o * n * inner + start * inner, block).CopyTo(ys.Slice(o * block, block));
        return Record(y, x);
    }

    protected internal override void Backward(Tensor dOutput)
    {
        var g = dOutput.Span;
        var d = GradOf(0).Span;
        var (outer, n, inner) = _axis;
        int block = _length * inner;
        for (int o = 0; o < outer; o++)
        {
            var dst = d.Slice(o * n * inner + _start * inner, block);
            System.Numerics.Tensors.TensorPrimitives.Add(dst, g.Slice(o * block, block), dst);
        }
    }
}
