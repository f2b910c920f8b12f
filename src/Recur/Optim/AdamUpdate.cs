namespace Recur.Optim;

/// <summary>
/// The per-element Adam update shared by <see cref="Adam"/> (L2 weight decay added to the gradient) and
/// <see cref="AdamW"/> (decoupled: the parameter shrinks by lr * lambda first), in PyTorch 1.13's order:
/// <code>
/// m = beta1 * m + (1 - beta1) * g
/// v = beta2 * v + (1 - beta2) * g^2
/// v_max = max(v_max, v) and v = v_max                       (amsgrad)
/// p = p - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
/// </code>
/// State is float32; each element is computed in double from it.
/// </summary>
internal static class AdamUpdate
{
    public static readonly string[] BufferNames = ["exp_avg", "exp_avg_sq"];
    public static readonly string[] AmsgradBufferNames = ["exp_avg", "exp_avg_sq", "max_exp_avg_sq"];

    public static void Apply(Span<float> parameter, ReadOnlySpan<float> gradient, float[][] buffers, long step,
        double lr, double beta1, double beta2, double eps, double weightDecay, bool decoupled, bool amsgrad, bool maximize)
    {
        var m = buffers[0];
        var v = buffers[1];
        var vMax = amsgrad ? buffers[2] : null;
        double stepSize = lr / (1 - Math.Pow(beta1, step));
        double biasCorrection2Sqrt = Math.Sqrt(1 - Math.Pow(beta2, step));
        double shrink = decoupled ? 1 - lr * weightDecay : 1;
        double l2 = decoupled ? 0 : weightDecay;
        double sign = maximize ? -1 : 1;
        for (int i = 0; i < parameter.Length; i++)
        {
            double p = parameter[i];
            double g = sign * gradient[i];
            if (l2 != 0) g += l2 * p;
            if (decoupled) p *= shrink;
            double mi = beta1 * m[i] + (1 - beta1) * g;
            double vi = beta2 * v[i] + (1 - beta2) * g * g;
            m[i] = (float)mi;
            v[i] = (float)vi;
            if (vMax is not null)
            {
                vi = Math.Max(vMax[i], vi);
                vMax[i] = (float)vi;
            }
            double denom = Math.Sqrt(vi) / biasCorrection2Sqrt + eps;
            parameter[i] = (float)(p - stepSize * (mi / denom));
        }
    }
}
