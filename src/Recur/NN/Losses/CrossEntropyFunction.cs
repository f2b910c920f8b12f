using System.Numerics.Tensors;
using Recur.Autograd;

namespace Recur.NN;

// N batch, C classes, S = d1 * ... * dk trailing positions, R = N * S rows (one class distribution each)

/// <summary>
/// Fused log-softmax + negative log-likelihood with class weights, an ignored index and label smoothing.
/// Per row r with target y (w = 1 when there are no class weights, e = label smoothing):
/// loss_r = (1 - e) * w[y] * (-log p[y]) + e / C * sum_c w[c] * (-log p[c]); ignored rows give 0.
/// Backward: dLogits[r, c] = g_r * ((1 - e) * w[y] * (p[c] - [c == y]) + e / C * (p[c] * sum_k w[k] - w[c])),
/// with g_r the upstream gradient of row r (none), the scalar one (sum) or that divided by sum w[y] (mean).
/// </summary>
internal sealed class CrossEntropyFunction : Function
{
    private Tensor _prob = null!;   // [R, C] softmax, row-major by row whatever the logits layout
    private int[] _target = [];     // [R] class index, -1 for ignored rows
    private float[]? _weight;       // [C] or null
    private double _smoothing;
    private Reduction _reduction;
    private int _classes, _inner;
    private double _weightSum;      // sum over non-ignored rows of w[y]
    private double _classWeightSum; // sum over all classes of w[c]

    public Variable Forward(Variable logits, int[] target, float[]? weight, double smoothing, Reduction reduction, int[] rowShape)
    {
        var x = logits.Value;
        _classes = x.Rank == 1 ? x.Size(0) : x.Size(1);
        _inner = 1;
        for (int d = 2; d < x.Rank; d++) _inner *= x.Size(d);
        _target = target;
        _weight = weight;
        _smoothing = smoothing;
        _reduction = reduction;
        int c = _classes, rows = target.Length;
        _classWeightSum = weight is null ? c : Sum(weight);
        _prob = new Tensor(rows, c);

        var rowLoss = new Tensor(rowShape);  // [R] viewed as [N, d1..dk]
        var losses = rowLoss.Span;
        var xs = x.Span;
        var gathered = _inner == 1 ? null : new float[c];
        var shifted = new float[c];
        double total = 0, weightSum = 0;
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> xr = _inner == 1 ? xs.Slice(r * c, c) : Gather(xs, r, gathered!);
            var pr = _prob.Span.Slice(r * c, c);
            float max = TensorPrimitives.Max(xr);
            TensorPrimitives.Subtract(xr, max, shifted);
            TensorPrimitives.Exp(shifted, pr);
            double sumExp = Sum(pr);
            double logSumExp = Math.Log(sumExp);
            TensorPrimitives.Multiply(pr, (float)(1.0 / sumExp), pr);
            int y = target[r];
            if (y < 0) continue;
            double wy = weight is null ? 1.0 : weight[y];
            double loss = (1 - smoothing) * wy * -(shifted[y] - logSumExp);
            if (smoothing > 0)
            {
                double weightedShift = weight is null ? Sum(shifted) : Dot(weight, shifted);
                loss += smoothing / c * -(weightedShift - logSumExp * _classWeightSum);
            }
            losses[r] = (float)loss;
            total += loss;
            weightSum += wy;
        }
        _weightSum = weightSum;
        var output = reduction switch
        {
            Reduction.None => rowLoss,
            Reduction.Sum => Tensor.Scalar((float)total),
            _ => Tensor.Scalar(weightSum == 0 ? float.NaN : (float)(total / weightSum)),
        };
        return Record(output, logits);
    }

    protected internal override void Backward(Tensor dOutput)
    {
        var g = dOutput.Span;
        var dx = GradOf(0).Span;
        int c = _classes;
        double e = _smoothing, eOverC = e / c;
        double shared = _reduction switch
        {
            Reduction.None => 0,
            Reduction.Sum => g[0],
            _ => _weightSum == 0 ? double.NaN : g[0] / _weightSum,  // as PyTorch: 0 / 0 spreads NaN over the rows
        };
        var row = new float[c];  // [C] d loss_r / d logits of row r, added in one go so backward twice doubles exactly
        for (int r = 0; r < _target.Length; r++)
        {
            int y = _target[r];
            if (y < 0) continue;
            double coef = _reduction == Reduction.None ? g[r] : shared;
            double wy = _weight is null ? 1.0 : _weight[y];

            // row = coef * (a * p - e/C * w) with a = (1-e) w[y] + e/C sum_k w[k]; then row[y] -= coef (1-e) w[y]
            TensorPrimitives.Multiply(_prob.Span.Slice(r * c, c), (float)(coef * ((1 - e) * wy + eOverC * _classWeightSum)), row);
            if (e > 0)
            {
                if (_weight is null) TensorPrimitives.Subtract(row, (float)(coef * eOverC), row);
                else TensorPrimitives.MultiplyAdd(_weight, (float)(-coef * eOverC), row, row);
            }
            row[y] -= (float)(coef * (1 - e) * wy);
            if (_inner == 1)
            {
                var dr = dx.Slice(r * c, c);
                TensorPrimitives.Add(dr, row, dr);
            }
            else
            {
                int start = RowStart(r);
                for (int k = 0; k < c; k++) dx[start + k * _inner] += row[k];
            }
        }
    }

    // Index in logits [N, C, S] of class 0 of row r = n * S + s.
    private int RowStart(int r) => r / _inner * _classes * _inner + r % _inner;

    // Row r of logits [N, C, S] copied into a contiguous [C] buffer.
    private Span<float> Gather(ReadOnlySpan<float> source, int r, float[] buffer)
    {
        int start = RowStart(r);
        for (int k = 0; k < _classes; k++) buffer[k] = source[start + k * _inner];
        return buffer;
    }

    private static double Sum(ReadOnlySpan<float> values)
    {
        double s = 0;
        foreach (float v in values) s += v;
        return s;
    }

    private static double Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += (double)a[i] * b[i];
        return s;
    }
}
