using System.Numerics.Tensors;

namespace Recur.Autograd.Functions;

internal enum BinaryOp { Add, Sub, Mul }

/// <summary>Y = A op B elementwise with broadcasting (a bias over trailing dimensions, a mask, a scalar).</summary>
internal sealed class BinaryFunction(BinaryOp op) : Function
{
    private Tensor _a = null!, _b = null!;
    private int[] _outShape = [];

    public Variable Forward(Variable a, Variable b)
    {
        _a = a.Value;
        _b = b.Value;
        _outShape = Broadcast.Shape(a.Shape, b.Shape);
        var y = new Tensor(_outShape);
        var ys = y.Span;
        if (_a.HasShape(_outShape) && _b.HasShape(_outShape))
        {
            Apply(_a.Span, _b.Span, ys);
        }
        else if (_a.HasShape(_outShape) && Broadcast.TrailingBlock(_b.Shape, _outShape) is int block and > 0)
        {
            var bs = _b.Span;
            for (int r = 0; r < ys.Length; r += block)
                Apply(_a.Span.Slice(r, block), bs, ys.Slice(r, block));
        }
        else
        {
            float[] av = _a.Storage, bv = _b.Storage, yv = y.Storage;
            int ao = _a.Offset, bo = _b.Offset, width = _outShape.Length == 0 ? 1 : _outShape[^1];
            var sa = Broadcast.Strides(_a.Shape, _outShape);
            var sb = Broadcast.Strides(_b.Shape, _outShape);
            var o = op;
            if (_outShape.Length > 0 && width > 1)
            {
                // Row by row along the last dimension, each row one vector operation (an operand stretched along it is a scalar).
                bool aRow = sa[^1] != 0, bRow = sb[^1] != 0;
                Broadcast.ForEachRow(_outShape, sa, sb, (iy, ia, ib) =>
                {
                    var yr = yv.AsSpan(iy, width);
                    if (aRow && bRow) Apply(o, av.AsSpan(ao + ia, width), bv.AsSpan(bo + ib, width), yr);
                    else if (aRow) ApplyScalar(o, av.AsSpan(ao + ia, width), bv[bo + ib], yr, scalarFirst: false);
                    else if (bRow) ApplyScalar(o, bv.AsSpan(bo + ib, width), av[ao + ia], yr, scalarFirst: true);
                    else yr.Fill(Scalar(o, av[ao + ia], bv[bo + ib]));
                });
            }
            else
            {
                Broadcast.ForEach(_outShape, sa, sb, (i, ia, ib) => yv[i] = Scalar(o, av[ao + ia], bv[bo + ib]));
            }
        }
        return Record(y, a, b);
    }

    private static float Scalar(BinaryOp op, float a, float b) => op switch
    {
        BinaryOp.Add => a + b,
        BinaryOp.Sub => a - b,
        _ => a * b,
    };

    private static void Apply(BinaryOp op, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y)
    {
        switch (op)
        {
            case BinaryOp.Add: TensorPrimitives.Add(a, b, y); break;
            case BinaryOp.Sub: TensorPrimitives.Subtract(a, b, y); break;
            default: TensorPrimitives.Multiply(a, b, y); break;
        }
    }

    // y = x op s, or s op x when the scalar is the first operand (it matters for Sub only).
    private static void ApplyScalar(BinaryOp op, ReadOnlySpan<float> x, float s, Span<float> y, bool scalarFirst)
    {
        switch (op)
        {
            case BinaryOp.Add: TensorPrimitives.Add(x, s, y); break;
            case BinaryOp.Sub when scalarFirst: TensorPrimitives.Subtract(s, x, y); break;
            case BinaryOp.Sub: TensorPrimitives.Subtract(x, s, y); break;
            default: TensorPrimitives.Multiply(x, s, y); break;
        }
    }

    private void Apply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y) => Apply(op, a, b, y);

    protected internal override void Backward(Tensor dOutput)
    {
        if (NeedsGrad(0)) Reduce(dOutput, GradOf(0), _a, other: _b, isFirst: true);
        if (NeedsGrad(1)) Reduce(dOutput, GradOf(1), _b, other: _a, isFirst: false);
    }

    // dX += reduce_to_shape_of_X(dY * dY/dX), where dY/dX is 1, -1 (second operand of Sub) or the other operand.
    private void Reduce(Tensor dY, Tensor dX, Tensor x, Tensor other, bool isFirst)
    {
        float sign = op == BinaryOp.Sub && !isFirst ? -1f : 1f;
        bool mul = op == BinaryOp.Mul;
        if (x.HasShape(_outShape) && (!mul || other.HasShape(_outShape)))
        {
            if (mul) TensorPrimitives.MultiplyAdd(dY.Span, other.Span, dX.Span, dX.Span);
            else if (sign > 0) TensorPrimitives.Add(dX.Span, dY.Span, dX.Span);
            else TensorPrimitives.Subtract(dX.Span, dY.Span, dX.Span);
            return;
        }
        if (!mul && Broadcast.TrailingBlock(x.Shape, _outShape) is int block and > 0 && block == x.Length)
        {
            var g = dY.Span;
            var d = dX.Span;
            for (int r = 0; r < g.Length; r += block)
            {
                if (sign > 0) TensorPrimitives.Add(d, g.Slice(r, block), d);
                else TensorPrimitives.Subtract(d, g.Slice(r, block), d);
            }
            return;
        }
        float[] gv = dY.Storage, dv = dX.Storage, ov = other.Storage;
        int go = dY.Offset, dOff = dX.Offset, oo = other.Offset;
        var sx = Broadcast.Strides(x.Shape, _outShape);
        var so = Broadcast.Strides(other.Shape, _outShape);
        int width = _outShape.Length == 0 ? 1 : _outShape[^1];
        if (_outShape.Length > 0 && width > 1 && sx[^1] != 0 && (!mul || so[^1] != 0))
        {
            // X has the last dimension, and so has the other operand of a product: each output row adds one row into dX,
            // rows in the order of the elementwise loop, so every element sums in the same order.
            Broadcast.ForEachRow(_outShape, sx, so, (i, ix, io) =>
            {
                var d = dv.AsSpan(dOff + ix, width);
                var g = gv.AsSpan(go + i, width);
                if (mul) TensorPrimitives.MultiplyAdd(g, ov.AsSpan(oo + io, width), d, d);
                else if (sign > 0) TensorPrimitives.Add(d, g, d);
                else TensorPrimitives.Subtract(d, g, d);
            });
            return;
        }
        Broadcast.ForEach(_outShape, sx, so, (i, ix, io) =>
            dv[dOff + ix] += mul ? gv[go + i] * ov[oo + io] : sign * gv[go + i]);
    }
}
