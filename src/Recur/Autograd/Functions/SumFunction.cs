namespace Recur.Autograd.Functions;

/// <summary>
/// Y = scale * sum of X over one dimension (or all elements when dim is null); scale = 1 for a sum, 1/N for a mean.
/// Backward: dX += scale * dY broadcast back over the reduced dimension.
/// </summary>
internal sealed class SumFunction : Function
{
    private Axis _axis;
    private float _scale;

    public Variable Forward(Variable x, int? dim, bool keepDim, bool mean)
    {
        var xs = x.Value.Span;
        if (dim is null)
        {
            _axis = new Axis(1, x.Value.Length, 1);
            _scale = mean ? 1f / Math.Max(1, x.Value.Length) : 1f;
            if (mean && x.Value.Length == 0) _scale = float.NaN;
            double s = Recur.Kernels.Pointwise.Sum(xs); // in double, vectorized
            return Record(Tensor.Scalar((float)(s * _scale)), x);
        }
        int d = Tensor.NormalizeDim(dim.Value, x.Rank);
        _axis = Axis.Of(x.Shape, d);
        var (outer, n, inner) = _axis;
        _scale = mean ? (n == 0 ? float.NaN : 1f / n) : 1f;
        var shape = new List<int>(x.Value.ShapeArray);
        if (keepDim) shape[d] = 1; else shape.RemoveAt(d);
        var y = new Tensor([.. shape]);
        var ys = y.Span;
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < inner; j++)
            {
                double s = 0;
                for (int i = 0; i < n; i++) s += xs[(o * n + i) * inner + j];
                ys[o * inner + j] = (float)(s * _scale);
            }
        return Record(y, x);
    }

    protected internal override void Backward(Tensor dOutput)
    {
        var g = dOutput.Span;
        var d = GradOf(0).Span;
        var (outer, n, inner) = _axis;
        if (inner == 1)
        {
            // d[o, i] += scale * g[o]: the same product once per o, then one vector add per row.
            for (int o = 0; o < outer; o++)
            {
                var row = d.Slice(o * n, n);
                if (n > 0) System.Numerics.Tensors.TensorPrimitives.Add(row, _scale * g[o], row);
            }
            return;
        }
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < n; i++)
                for (int j = 0; j < inner; j++)
                    d[(o * n + i) * inner + j] += _scale * g[o * inner + j];
    }
}
