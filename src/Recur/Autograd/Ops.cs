using Recur.Autograd.Functions;

namespace Recur.Autograd;

/// <summary>
/// Differentiable ops. Each call computes its result now and, when grad mode is on and an input requires
/// a gradient, records itself on the tape for <see cref="Variable.Backward"/>.
/// </summary>
public static class Ops
{
    /// <summary>Y[.., N] = A[.., K] x B[K, N], or A x B^T when <paramref name="transposeB"/> (B is [N, K]).</summary>
    public static Variable MatMul(Variable a, Variable b, bool transposeB = false) => new MatMulFunction().Forward(Check(a), Check(b), transposeB);

    /// <summary>Y[g] = op(A[g]) x op(B[g]) for rank-3 A and B of one leading size G (torch.bmm, optionally transposed).</summary>
    public static Variable BatchedMatMul(Variable a, Variable b, bool transposeA = false, bool transposeB = false) =>
        new BatchedMatMulFunction().Forward(Check(a), Check(b), transposeA, transposeB);

    /// <summary>A + B with broadcasting.</summary>
    public static Variable Add(Variable a, Variable b) => new BinaryFunction(BinaryOp.Add).Forward(Check(a), Check(b));

    /// <summary>A - B with broadcasting.</summary>
    public static Variable Sub(Variable a, Variable b) => new BinaryFunction(BinaryOp.Sub).Forward(Check(a), Check(b));

    /// <summary>A * B elementwise with broadcasting.</summary>
    public static Variable Mul(Variable a, Variable b) => new BinaryFunction(BinaryOp.Mul).Forward(Check(a), Check(b));

    /// <summary>c * X.</summary>
    public static Variable Scale(Variable x, float c) => new UnaryFunction(UnaryOp.Scale, c).Forward(Check(x));

    /// <summary>1 / (1 + exp(-X)).</summary>
    public static Variable Sigmoid(Variable x) => new UnaryFunction(UnaryOp.Sigmoid).Forward(Check(x));

    /// <summary>tanh(X).</summary>
    public static Variable Tanh(Variable x) => new UnaryFunction(UnaryOp.Tanh).Forward(Check(x));

    /// <summary>max(X, 0).</summary>
    public static Variable Relu(Variable x) => new UnaryFunction(UnaryOp.Relu).Forward(Check(x));

    /// <summary>exp(X).</summary>
    public static Variable Exp(Variable x) => new UnaryFunction(UnaryOp.Exp).Forward(Check(x));

    /// <summary>Natural logarithm of X.</summary>
    public static Variable Log(Variable x) => new UnaryFunction(UnaryOp.Log).Forward(Check(x));

    /// <summary>exp(X_i - max X) / sum_j exp(X_j - max X) along <paramref name="dim"/>.</summary>
    public static Variable Softmax(Variable x, int dim = -1) => new SoftmaxFunction(log: false).Forward(Check(x), dim);

    /// <summary>X_i - max X - log sum_j exp(X_j - max X) along <paramref name="dim"/>.</summary>
    public static Variable LogSoftmax(Variable x, int dim = -1) => new SoftmaxFunction(log: true).Forward(Check(x), dim);

    /// <summary>Joins the inputs along <paramref name="dim"/>.</summary>
    public static Variable Concat(IReadOnlyList<Variable> xs, int dim = 0)
    {
        ArgumentNullException.ThrowIfNull(xs);
        var arr = xs.ToArray();
        foreach (var x in arr) Check(x);
        return new ConcatFunction().Forward(arr, dim);
    }

    /// <summary>Elements <paramref name="start"/> .. start+length-1 of dimension <paramref name="dim"/>.</summary>
    public static Variable Slice(Variable x, int dim, int start, int length) => new SliceFunction().Forward(Check(x), dim, start, length);

    /// <summary>Splits X along <paramref name="dim"/> into pieces of the given sizes (which must add up to that dimension).</summary>
    public static Variable[] Split(Variable x, IReadOnlyList<int> sizes, int dim = 0)
    {
        Check(x);
        ArgumentNullException.ThrowIfNull(sizes);
        int d = Tensor.NormalizeDim(dim, x.Rank);
        if (sizes.Sum() != x.Size(d) || sizes.Any(s => s < 0))
            throw new ArgumentException($"Split sizes [{string.Join(", ", sizes)}] must be non-negative and add up to {x.Size(d)}, the size of dimension {d}.", nameof(sizes));
        var parts = new Variable[sizes.Count];
        int start = 0;
        for (int i = 0; i < parts.Length; i++)
        {
            parts[i] = Slice(x, d, start, sizes[i]);
            start += sizes[i];
        }
        return parts;
    }

    /// <summary>The same elements with a new shape (one dimension may be -1).</summary>
    public static Variable Reshape(Variable x, params int[] shape) => new ReshapeFunction().Forward(Check(x), shape);

    /// <summary>Swaps two dimensions (default: the last two).</summary>
    public static Variable Transpose(Variable x, int dim0 = -2, int dim1 = -1) => new TransposeFunction().Forward(Check(x), dim0, dim1);

    /// <summary>Sum of all elements (a scalar).</summary>
    public static Variable Sum(Variable x) => new SumFunction().Forward(Check(x), null, false, mean: false);

    /// <summary>Sum over dimension <paramref name="dim"/>.</summary>
    public static Variable Sum(Variable x, int dim, bool keepDim = false) => new SumFunction().Forward(Check(x), dim, keepDim, mean: false);

    /// <summary>Mean of all elements (a scalar).</summary>
    public static Variable Mean(Variable x) => new SumFunction().Forward(Check(x), null, false, mean: true);

    /// <summary>Mean over dimension <paramref name="dim"/>.</summary>
    public static Variable Mean(Variable x, int dim, bool keepDim = false) => new SumFunction().Forward(Check(x), dim, keepDim, mean: true);

    /// <summary>
    /// The maximum of X [T, B, F] over each sequence's valid steps (t &lt; lengths[b]), giving [B, F]; padded steps
    /// never win and get no gradient.
    /// </summary>
    public static Variable MaxOverTime(Variable x, int[] lengths)
    {
        ArgumentNullException.ThrowIfNull(lengths);
        return new TimePoolFunction().Forward(Check(x), lengths, max: true);
    }

    /// <summary>The mean of X [T, B, F] over each sequence's valid steps (t &lt; lengths[b]), giving [B, F].</summary>
    public static Variable MeanOverTime(Variable x, int[] lengths)
    {
        ArgumentNullException.ThrowIfNull(lengths);
        return new TimePoolFunction().Forward(Check(x), lengths, max: false);
    }

    /// <summary>
    /// Rows of <paramref name="weight"/> [V, D] picked by <paramref name="indices"/>: the result has shape
    /// [..indexShape, D]. Rows equal to <paramref name="paddingIndex"/> receive no gradient.
    /// </summary>
    public static Variable Embedding(Variable weight, int[] indices, int[] indexShape, int? paddingIndex = null)
    {
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentNullException.ThrowIfNull(indexShape);
        return new EmbeddingFunction().Forward(Check(weight), indices, indexShape, paddingIndex);
    }

    /// <summary>Zeroes each element with probability <paramref name="p"/> and scales the rest by 1/(1-p); identity when not training or p = 0.</summary>
    public static Variable Dropout(Variable x, double p, RandomGenerator rng, bool training = true)
    {
        Check(x);
        ArgumentNullException.ThrowIfNull(rng);
        if (!(p >= 0 && p <= 1)) throw new ArgumentOutOfRangeException(nameof(p), $"Dropout probability must be in [0, 1] but got {p}.");
        if (!training || p == 0) return x;
        return new DropoutFunction().Forward(x, p, rng);
    }

    private static Variable Check(Variable x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return x;
    }
}
