namespace Recur.Autograd.Functions;

// V rows of the table, D embedding size, N indices.
/// <summary>
/// Y[.., D] = W[index, :] for each index (embedding lookup / index_select on rows).
/// Backward scatter-adds dY rows into dW; the padding row, when given, receives no gradient.
/// </summary>
internal sealed class EmbeddingFunction : Function
{
    private int[] _indices = [];
    private int _dim;
    private int? _paddingIndex;

    public Variable Forward(Variable weight, int[] indices, int[] indexShape, int? paddingIndex)
    {
        if (weight.Rank != 2)
            throw new ArgumentException($"Embedding expects a weight of rank 2 [V, D] but got {Tensor.FormatShape(weight.Shape)}.");
        if (Tensor.ElementCount(indexShape) != indices.Length)
            throw new ArgumentException($"Index shape {Tensor.FormatShape(indexShape)} needs {Tensor.ElementCount(indexShape)} indices but {indices.Length} were given.");
        int v = weight.Size(0);
        _dim = weight.Size(1);
        foreach (int ix in indices)
            if ((uint)ix >= (uint)v)
                throw new ArgumentOutOfRangeException(nameof(indices), $"Index {ix} is outside the embedding table of {v} rows.");
        _indices = (int[])indices.Clone();
        _paddingIndex = paddingIndex;
        var y = new Tensor([.. indexShape, _dim]);
        var w = weight.Value.Span;
        var ys = y.Span;
        for (int i = 0; i < _indices.Length; i++)
            w.Slice(_indices[i] * _dim, _dim).CopyTo(ys.Slice(i * _dim, _dim));
        return Record(y, weight);
    }

    protected internal override void Backward(Tensor dOutput)
    {
        var g = dOutput.Span;
        var d = GradOf(0).Span;
        for (int i = 0; i < _indices.Length; i++)
        {
            if (_indices[i] == _paddingIndex) continue;
            var dst = d.Slice(_indices[i] * _dim, _dim);
            System.Numerics.Tensors.TensorPrimitives.Add(dst, g.Slice(i * _dim, _dim), dst);
        }
    }
}
