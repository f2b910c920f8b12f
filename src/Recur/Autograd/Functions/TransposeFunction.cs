namespace Recur.Autograd.Functions;

/// <summary>Y = X with dimensions <c>dim0</c> and <c>dim1</c> swapped (a copy). Backward swaps them back.</summary>
internal sealed class TransposeFunction : Function
{
    private int _d0, _d1;

    public Variable Forward(Variable x, int dim0, int dim1)
    {
        _d0 = Tensor.NormalizeDim(dim0, x.Rank);
        _d1 = Tensor.NormalizeDim(dim1, x.Rank);
        return Record(Swap(x.Value, _d0, _d1, null), x);
    }

    protected internal override void Backward(Tensor dOutput) => Swap(dOutput, _d0, _d1, GradOf(0));

    /// <summary>Swaps two dimensions of <paramref name="x"/>; writes a new tensor or adds into <paramref name="accumulate"/>.</summary>
    internal static Tensor Swap(Tensor x, int d0, int d1, Tensor? accumulate)
    {
        int[] shape = x.ShapeArray;
        (shape[d0], shape[d1]) = (shape[d1], shape[d0]);
        var y = accumulate ?? new Tensor(shape);
        int rank = shape.Length;
        // strides of x, permuted into y's dimension order
        var xStrides = new int[rank];
        int s = 1;
        for (int i = rank - 1; i >= 0; i--) { xStrides[i] = s; s *= x.Shape[i]; }
        (xStrides[d0], xStrides[d1]) = (xStrides[d1], xStrides[d0]);
        var zero = new int[rank];
        float[] xv = x.Storage, yv = y.Storage;
        int xo = x.Offset, yo = y.Offset;
        bool add = accumulate is not null;
        Broadcast.ForEach(shape, xStrides, zero, (i, ix, _) =>
        {
            if (add) yv[yo + i] += xv[xo + ix];
            else yv[yo + i] = xv[xo + ix];
        });
        return y;
    }
}
