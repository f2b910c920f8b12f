using Recur.Kernels;

namespace Recur.Autograd.Functions;

/// <summary>
/// Softmax or log-softmax along one dimension, max-subtracted:
/// log_softmax(x)_i = x_i - max(x) - log(sum_j exp(x_j - max(x))).
/// Backward: softmax dX = Y * (dY - sum(dY * Y)); log-softmax dX = dY - exp(Y) * sum(dY).
/// </summary>
internal sealed class SoftmaxFunction(bool log) : Function
{
    private Tensor _y = null!;
    private Axis _axis;

    public Variable Forward(Variable x, int dim)
    {
        _axis = Axis.Of(x.Shape, dim);
        _y = new Tensor(x.Value.ShapeArray);
        var xs = x.Value.Span;
        var ys = _y.Span;
        var (outer, n, inner) = _axis;
        if (n > 0 && inner == 1)
        {
            RowsForward(xs, outer, n, ys, log);
        }
        else if (n > 0)
        {
            Span<float> row = new float[n]; // one strided row at a time
            for (int o = 0; o < outer; o++)
                for (int j = 0; j < inner; j++)
                {
                    int baseIndex = o * n * inner + j;
                    for (int i = 0; i < n; i++) row[i] = xs[baseIndex + i * inner];
                    RowsForward(row, 1, n, row, log);
                    for (int i = 0; i < n; i++) ys[baseIndex + i * inner] = row[i];
                }
        }
        return Record(_y, x);
    }

    private static void RowsForward(ReadOnlySpan<float> x, int rows, int cols, Span<float> y, bool log)
    {
        if (log) Pointwise.LogSoftmax(x, rows, cols, y);
        else Pointwise.Softmax(x, rows, cols, y);
    }

    protected internal override void Backward(Tensor dOutput)
    {
        var g = dOutput.Span;
        var y = _y.Span;
        var d = GradOf(0).Span;
        var (outer, n, inner) = _axis;
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < inner; j++)
            {
                int b = o * n * inner + j;
                double s = 0;
                for (int i = 0; i < n; i++)
                {
                    int k = b + i * inner;
                    s += log ? g[k] : g[k] * y[k];
                }
                for (int i = 0; i < n; i++)
                {
                    int k = b + i * inner;
                    d[k] += log ? g[k] - MathF.Exp(y[k]) * (float)s : y[k] * (g[k] - (float)s);
                }
            }
    }
}
