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
            int ao = _a.Offset, bo = _b.Offset;
            var o = op;
            Broadcast.ForEach(_outShape, Broadcast.Strides(_a.Shape, _outShape), Broadcast.Strides(_b.Shape, _outShape),
                (i, ia, ib) => yv[i] = o switch
                {
                    BinaryOp.Add => av[ao + ia] + bv[bo + ib],
                    BinaryOp.Sub => av[ao + ia] - bv[bo + ib],
                    _ => av[ao + ia] * bv[bo + ib],
                });
        }
        return Record(y, a, b);
    }

    private void Apply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y)
    {
        switch (op)
        {
            case BinaryOp.Add: TensorPrimitives.Add(a, b, y); break;
            case BinaryOp.Sub: TensorPrimitives.Subtract(a, b, y); break;
            default: TensorPrimitives.Multiply(a, b, y); break;
        }
    }

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
        Broadcast.ForEach(_outShape, sx, so, (i, ix, io) =>
            dv[dOff + ix] += mul ? gv[go + i] * ov[oo + io] : sign * gv[go + i]);
    }
}
