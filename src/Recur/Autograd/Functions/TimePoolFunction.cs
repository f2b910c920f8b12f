// T time, B batch, F features
namespace Recur.Autograd.Functions;

/// <summary>
/// Pools a time-major sequence X [T, B, F] over the valid steps of each sequence (t &lt; lengths[b]) into Y [B, F]:
/// the maximum (backward: dY goes to the step that held it, the first one on ties, as PyTorch's max) or the mean
/// (backward: dY / length to every valid step). Padded steps neither count nor receive a gradient.
/// </summary>
internal sealed class TimePoolFunction : Function
{
    private int[] _lengths = [];
    private int[] _argMax = []; // [B, F] step of each maximum
    private bool _max;
    private int _steps, _batch, _features;

    public Variable Forward(Variable x, int[] lengths, bool max)
    {
        if (x.Rank != 3) throw new ArgumentException($"Pooling over time expects X [T, B, F] but got {Tensor.FormatShape(x.Shape)}.");
        (_steps, _batch, _features) = (x.Size(0), x.Size(1), x.Size(2));
        if (lengths.Length != _batch) throw new ArgumentException($"Expected {_batch} lengths (one per sequence) but got {lengths.Length}.");
        foreach (int l in lengths)
            if (l < 1 || l > _steps) throw new ArgumentException($"A sequence length must be from 1 to T = {_steps}, got {l}.");
        _lengths = (int[])lengths.Clone();
        _max = max;
        var xs = x.Value.Span;
        var y = new Tensor(_batch, _features);
        var ys = y.Span;
        if (max) _argMax = new int[_batch * _features];
        for (int b = 0; b < _batch; b++)
        {
            var row = ys.Slice(b * _features, _features);
            xs.Slice(b * _features, _features).CopyTo(row); // step 0
            if (max)
            {
                for (int t = 1; t < _lengths[b]; t++)
                {
                    var step = xs.Slice(((t * _batch) + b) * _features, _features);
                    for (int f = 0; f < _features; f++)
                    {
                        // NaN wins, as in PyTorch's max: it propagates instead of being skipped.
                        if (step[f] > row[f] || (float.IsNaN(step[f]) && !float.IsNaN(row[f])))
                        {
                            row[f] = step[f];
                            _argMax[(b * _features) + f] = t;
                        }
                    }
                }
            }
            else
            {
                for (int t = 1; t < _lengths[b]; t++)
                    System.Numerics.Tensors.TensorPrimitives.Add(row, xs.Slice(((t * _batch) + b) * _features, _features), row);
                System.Numerics.Tensors.TensorPrimitives.Multiply(row, 1f / _lengths[b], row);
            }
        }
        return Record(y, x);
    }

    protected internal override void Backward(Tensor dOutput)
    {
        var g = dOutput.Span;
        var d = GradOf(0).Span;
        for (int b = 0; b < _batch; b++)
        {
            var gRow = g.Slice(b * _features, _features);
            if (_max)
            {
                for (int f = 0; f < _features; f++) d[((_argMax[(b * _features) + f] * _batch) + b) * _features + f] += gRow[f];
                continue;
            }
            float scale = 1f / _lengths[b];
            for (int t = 0; t < _lengths[b]; t++)
            {
                var dst = d.Slice(((t * _batch) + b) * _features, _features);
                System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(gRow, scale, dst, dst);
            }
        }
    }
}
