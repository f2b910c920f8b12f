using System.Numerics.Tensors;
using Recur.Kernels;

namespace Recur.Autograd.Functions;

internal enum UnaryOp { Sigmoid, Tanh, Relu, Exp, Log, Scale }

/// <summary>Y = f(X) elementwise; backward uses the saved output (sigmoid, tanh, relu, exp) or input (log).</summary>
internal sealed class UnaryFunction(UnaryOp op, float scale = 1f) : Function
{
    private Tensor _x = null!, _y = null!;

    public Variable Forward(Variable x)
    {
        _x = x.Value;
        _y = new Tensor(_x.ShapeArray);
        ReadOnlySpan<float> xs = _x.Span;
        Span<float> ys = _y.Span;
        switch (op)
        {
            case UnaryOp.Sigmoid: Pointwise.Sigmoid(xs, ys); break;
            case UnaryOp.Tanh: Pointwise.Tanh(xs, ys); break;
            case UnaryOp.Relu: Pointwise.Relu(xs, ys); break;
            case UnaryOp.Exp: TensorPrimitives.Exp(xs, ys); break;
            case UnaryOp.Log: TensorPrimitives.Log(xs, ys); break;
            default: TensorPrimitives.Multiply(xs, scale, ys); break;
        }
        return Record(_y, x);
    }

    protected internal override void Backward(Tensor dOutput)
    {
        ReadOnlySpan<float> g = dOutput.Span, y = _y.Span, x = _x.Span;
        Span<float> d = GradOf(0).Span;
        switch (op)
        {
            case UnaryOp.Sigmoid: Pointwise.SigmoidBackwardAccumulate(y, g, d); break;
            case UnaryOp.Tanh: Pointwise.TanhBackwardAccumulate(y, g, d); break;
            case UnaryOp.Relu: Pointwise.ReluBackwardAccumulate(y, g, d); break;
            case UnaryOp.Exp: TensorPrimitives.MultiplyAdd(g, y, d, d); break;
            case UnaryOp.Log: for (int i = 0; i < d.Length; i++) d[i] += g[i] / x[i]; break;
            default: TensorPrimitives.MultiplyAdd(g, scale, d, d); break;
        }
    }
}
