using Recur.NN;

namespace Recur.Tests.NN;

/// <summary>
/// A plain double-precision cross-entropy written from PyTorch 1.13's definition (log_softmax, nll_loss and
/// the label-smoothing term reduced separately), for comparison with the fused float implementation.
/// </summary>
internal static class CrossEntropyReference
{
    /// <summary>Per-distribution losses (reduction none) or a single reduced value.</summary>
    public static double[] Loss(double[] logits, int[] shape, long[] target, double[]? weight, long ignoreIndex, double smoothing, Reduction reduction)
    {
        int c = shape.Length == 1 ? shape[0] : shape[1];
        int inner = 1;
        for (int d = 2; d < shape.Length; d++) inner *= shape[d];
        int rows = target.Length;
        var nll = new double[rows];
        var smooth = new double[rows];
        double weightSum = 0;
        for (int r = 0; r < rows; r++)
        {
            int n = r / inner, s = r % inner;
            var logp = new double[c];
            double max = double.NegativeInfinity;
            for (int k = 0; k < c; k++) max = Math.Max(max, logits[(n * c + k) * inner + s]);
            double sum = 0;
            for (int k = 0; k < c; k++) sum += Math.Exp(logits[(n * c + k) * inner + s] - max);
            for (int k = 0; k < c; k++) logp[k] = logits[(n * c + k) * inner + s] - max - Math.Log(sum);
            if (target[r] == ignoreIndex) continue;
            int y = (int)target[r];
            double wy = weight?[y] ?? 1;
            nll[r] = -wy * logp[y];
            for (int k = 0; k < c; k++) smooth[r] -= (weight?[k] ?? 1) * logp[k];
            weightSum += wy;
        }
        double[] Reduce(double[] v) => reduction switch
        {
            Reduction.None => v,
            Reduction.Sum => [v.Sum()],
            _ => [v.Sum() / weightSum],
        };
        var nllReduced = Reduce(nll);
        if (smoothing <= 0) return nllReduced;
        var smoothReduced = Reduce(smooth);
        return nllReduced.Select((v, i) => (1 - smoothing) * v + smoothing / c * smoothReduced[i]).ToArray();
    }

    /// <summary>d sum(loss * seed) / d logits by central differences on <see cref="Loss"/>.</summary>
    public static double[] NumericGradient(double[] logits, int[] shape, long[] target, double[]? weight, long ignoreIndex,
        double smoothing, Reduction reduction, double[] seed) =>
        Numerics.CentralDifferences(logits, x =>
        {
            var l = Loss(x, shape, target, weight, ignoreIndex, smoothing, reduction);
            double j = 0;
            for (int i = 0; i < l.Length; i++) j += l[i] * seed[i];
            return j;
        });
}
