using Recur.Kernels;

namespace Recur.Autograd.Functions;

// G batch of matrices, M rows of op(A), K inner dimension, N columns of op(B).
/// <summary>Y[g] = op(A[g]) x op(B[g]) for A, B and Y of rank 3 (torch.bmm, with transposes); each product is one GEMM.</summary>
internal sealed class BatchedMatMulFunction : Function
{
    private Tensor _a = null!, _b = null!;
    private bool _transA, _transB;
    private int _g, _m, _n, _k;

    public Variable Forward(Variable a, Variable b, bool transA, bool transB)
    {
        if (a.Rank != 3 || b.Rank != 3 || a.Size(0) != b.Size(0))
            throw new ArgumentException($"BatchedMatMul expects A [G, ., .] and B [G, ., .] with one G but got {Tensor.FormatShape(a.Shape)} and {Tensor.FormatShape(b.Shape)}.");
        _g = a.Size(0);
        _m = transA ? a.Size(2) : a.Size(1);
        _k = transA ? a.Size(1) : a.Size(2);
        int bk = transB ? b.Size(2) : b.Size(1);
        if (bk != _k)
            throw new ArgumentException($"BatchedMatMul inner dimensions differ: op(A) of {Tensor.FormatShape(a.Shape)} has {_k} columns, op(B) of {Tensor.FormatShape(b.Shape)} has {bk} rows.");
        _n = transB ? b.Size(1) : b.Size(2);
        (_a, _b, _transA, _transB) = (a.Value, b.Value, transA, transB);
        var y = new Tensor(_g, _m, _n);
        int sa = _m * _k, sb = _k * _n, sy = _m * _n;
        for (int g = 0; g < _g; g++)
            Gemm.Multiply(transA, transB, _m, _n, _k, 1f, _a.Span.Slice(g * sa, sa), _b.Span.Slice(g * sb, sb), 0f, y.Span.Slice(g * sy, sy));
        return Record(y, a, b);
    }

    protected internal override void Backward(Tensor dOutput)
    {
        int sa = _m * _k, sb = _k * _n, sy = _m * _n;
        for (int g = 0; g < _g; g++)
        {
            var dy = dOutput.Span.Slice(g * sy, sy);
            var a = _a.Span.Slice(g * sa, sa);
            var b = _b.Span.Slice(g * sb, sb);
            if (NeedsGrad(0))
            {
                var da = GradOf(0).Span.Slice(g * sa, sa);
                if (_transA) Gemm.Multiply(_transB, true, _k, _m, _n, 1f, b, dy, 1f, da);   // dA^T... A stored [K, M]: dA = op(B) dY^T
                else Gemm.Multiply(false, !_transB, _m, _k, _n, 1f, dy, b, 1f, da);       // dA [M, K] = dY op(B)^T
            }
            if (NeedsGrad(1))
            {
                var db = GradOf(1).Span.Slice(g * sb, sb);
                if (_transB) Gemm.Multiply(true, _transA, _n, _k, _m, 1f, dy, a, 1f, db); // B stored [N, K]: dB = dY^T op(A)
                else Gemm.Multiply(!_transA, false, _k, _n, _m, 1f, a, dy, 1f, db);      // dB [K, N] = op(A)^T dY
            }
        }
    }
}
