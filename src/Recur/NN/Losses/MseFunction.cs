using Recur.Autograd;

namespace Recur.NN;

/// <summary>
/// Squared error l_i = (x_i - y_i)^2, reduced by mean, sum or not at all.
/// Backward: dX_i = 2 (x_i - y_i) * g_i, dY_i = -dX_i, with g_i = dOutput_i (none), dOutput (sum) or dOutput / n (mean).
/// </summary>
internal sealed class MseFunction : Function
{
    private Tensor _input = null!, _target = null!;
    private Reduction _reduction;

    public Variable Forward(Variable input, Variable target, Reduction reduction)
    {
        _input = input.Value;
        _target = target.Value;
        _reduction = reduction;
        var x = _input.Span;
        var y = _target.Span;
        if (reduction == Reduction.None)
        {
            var output = new Tensor(_input.ShapeArray);
            var o = output.Span;
            for (int i = 0; i < x.Length; i++)
            {
                double d = (double)x[i] - y[i];
                o[i] = (float)(d * d);
            }
            return Record(output, input, target);
        }
        double total = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double d = (double)x[i] - y[i];
            total += d * d;
        }
        if (reduction == Reduction.Mean) total /= x.Length;  // 0 / 0 = NaN for empty inputs, as PyTorch
        return Record(Tensor.Scalar((float)total), input, target);
    }

    protected internal override void Backward(Tensor dOutput)
    {
        var x = _input.Span;
        var y = _target.Span;
        var g = dOutput.Span;
        var dx = NeedsGrad(0) ? GradOf(0).Span : default;
        var dy = NeedsGrad(1) ? GradOf(1).Span : default;
        double shared = _reduction switch
        {
            Reduction.None => 0,
            Reduction.Sum => 2.0 * g[0],
            _ => 2.0 * g[0] / x.Length,
        };
        for (int i = 0; i < x.Length; i++)
        {
            double coef = _reduction == Reduction.None ? 2.0 * g[i] : shared;
            float d = (float)(coef * ((double)x[i] - y[i]));
            if (!dx.IsEmpty) dx[i] += d;
            if (!dy.IsEmpty) dy[i] -= d;
        }
    }
}
