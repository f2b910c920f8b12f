using Recur.Kernels;

namespace Recur.Autograd.Functions;

// M rows of A (all leading dimensions of A flattened), K inner dimension, N columns of the result.
/// <summary>Y[.., N] = A[.., K] x op(B) where op(B) is B [K, N] or, transposed, B [N, K].</summary>
internal sealed class MatMulFunction : Function
{
    private Tensor _a = null!, _b = null!; // [M, K], [K, N] or [N, K]
    private bool _transB;
    private int _m, _n, _k;

    public Variable Forward(Variable a, Variable b, bool transB)
    {
        if (a.Rank < 1 || b.Rank != 2)
            throw new ArgumentException($"MatMul expects A of rank >= 1 and B of rank 2 but got {Tensor.FormatShape(a.Shape)} and {Tensor.FormatShape(b.Shape)}.");
        _k = a.Size(-1);
        int bk = transB ? b.Size(1) : b.Size(0);
        if (bk != _k)
            throw new ArgumentException($"MatMul inner dimensions differ: A {Tensor.FormatShape(a.Shape)} needs B with {_k} {(transB ? "columns" : "rows")} but B is {Tensor.FormatShape(b.Shape)}.");
        _n = transB ? b.Size(0) : b.Size(1);
        _m = Rows(a.Shape);
        _transB = transB;
        _a = a.Value;
        _b = b.Value;
        int[] shape = a.Value.ShapeArray;
        shape[^1] = _n;
        var y = new Tensor(shape);
        Gemm.Multiply(false, transB, _m, _n, _k, 1f, _a.Span, _b.Span, 0f, y.Span);
        return Record(y, a, b);
    }

    protected internal override void Backward(Tensor dOutput)
    {
        // dA [M, K] += dY [M, N] x op(B)^T
        if (NeedsGrad(0))
            Gemm.Multiply(false, !_transB, _m, _k, _n, 1f, dOutput.Span, _b.Span, 1f, GradOf(0).Span);
        if (NeedsGrad(1))
        {
            if (_transB) // dB [N, K] += dY^T [N, M] x A [M, K]
                Gemm.Multiply(true, false, _n, _k, _m, 1f, dOutput.Span, _a.Span, 1f, GradOf(1).Span);
            else // dB [K, N] += A^T [K, M] x dY [M, N]
                Gemm.Multiply(true, false, _k, _n, _m, 1f, _a.Span, dOutput.Span, 1f, GradOf(1).Span);
        }
    }

    private static int Rows(ReadOnlySpan<int> shape)
    {
        int r = 1;
        for (int i = 0; i < shape.Length - 1; i++) r *= shape[i];
        return r;
    }
}
