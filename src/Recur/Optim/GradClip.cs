using System.Globalization;
using Recur.Autograd;

namespace Recur.Optim;

/// <summary>Gradient clipping, as PyTorch 1.13's <c>torch.nn.utils.clip_grad_norm_</c> and <c>clip_grad_value_</c>.</summary>
public static class GradClip
{
    /// <summary>
    /// Scales the gradients of <paramref name="parameters"/> (those with a non-null gradient) so that their joint
    /// norm is at most <paramref name="maxNorm"/>. With q the norm type, the total norm is the q-norm of the
    /// per-parameter gradient q-norms, <c>(sum_p ||g_p||_q^q)^(1/q)</c>, or <c>max |g|</c> for q = infinity;
    /// <c>coef = maxNorm / (total + 1e-6)</c> and every gradient is multiplied by coef only when coef &lt; 1.
    /// </summary>
    /// <returns>The total norm before clipping (0 when no parameter has a gradient).</returns>
    /// <exception cref="ArgumentException">maxNorm is negative or NaN, or the norm type is not positive.</exception>
    /// <exception cref="InvalidOperationException">
    /// <paramref name="errorIfNonfinite"/> is set and the total norm is NaN or infinite.
    /// </exception>
    public static float ClipGradNorm(IEnumerable<Parameter> parameters, double maxNorm, double normType = 2, bool errorIfNonfinite = false)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(maxNorm >= 0))
            throw new ArgumentOutOfRangeException(nameof(maxNorm), $"Expected a maximum norm >= 0 but got {Format(maxNorm)}.");
        if (!(normType > 0))
            throw new ArgumentOutOfRangeException(nameof(normType), $"Expected a norm type > 0 (or infinity) but got {Format(normType)}.");
        var grads = Gradients(parameters);
        if (grads.Count == 0) return 0f;
        double total = TotalNorm(grads, normType);
        if (errorIfNonfinite && !double.IsFinite(total))
            throw new InvalidOperationException($"The total gradient norm of order {Format(normType)} is {Format(total)}, so it cannot be clipped.");

        double coef = maxNorm / (total + 1e-6);
        if (coef < 1)
        {
            foreach (var g in grads)
            {
                var s = g.Span;
                for (int i = 0; i < s.Length; i++) s[i] = (float)(s[i] * coef); // in double, as the scalar formula
            }
        }
        return (float)total;
    }

    /// <summary>
    /// The factor <see cref="ClipGradNorm"/> would scale the gradients of <paramref name="parameters"/> by to bring their
    /// global 2-norm down to <paramref name="maxNorm"/>: maxNorm / (norm + 1e-6) when that is below 1, else 1. Give it to
    /// <c>Optimizer.Step(scale, ...)</c>, which scales as it updates, to skip a pass over the gradients.
    /// </summary>
    public static double Coefficient(IEnumerable<Parameter> parameters, double maxNorm)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(maxNorm >= 0))
            throw new ArgumentOutOfRangeException(nameof(maxNorm), $"Expected a maximum norm >= 0 but got {Format(maxNorm)}.");
        var grads = Gradients(parameters);
        if (grads.Count == 0) return 1;
        double coef = maxNorm / (TotalNorm(grads, 2) + 1e-6);
        return coef < 1 ? coef : 1;
    }

    private static double TotalNorm(List<Tensor> grads, double normType)
    {
        bool inf = double.IsPositiveInfinity(normType);
        double total = 0;
        foreach (var g in grads)
        {
            double norm = Norm(g.Span, normType);
            total = inf ? Math.Max(total, norm) : total + Math.Pow(norm, normType);
        }
        return inf ? total : normType == 2 ? Math.Sqrt(total) : Math.Pow(total, 1 / normType);
    }

    /// <summary>Clamps every gradient element of <paramref name="parameters"/> to [-clipValue, clipValue].</summary>
    /// <exception cref="ArgumentException"><paramref name="clipValue"/> is negative or NaN.</exception>
    public static void ClipGradValue(IEnumerable<Parameter> parameters, double clipValue)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(clipValue >= 0))
            throw new ArgumentOutOfRangeException(nameof(clipValue), $"Expected a clip value >= 0 but got {Format(clipValue)}.");
        float c = (float)clipValue;
        foreach (var g in Gradients(parameters))
        {
            var s = g.Span;
            for (int i = 0; i < s.Length; i++) s[i] = Math.Clamp(s[i], -c, c);
        }
    }

    // ||g||_q in double; the maximum of |g| for q = infinity. NaN anywhere gives NaN.
    private static double Norm(ReadOnlySpan<float> g, double q)
    {
        double acc = 0;
        if (double.IsPositiveInfinity(q))
        {
            foreach (float v in g)
            {
                if (float.IsNaN(v)) return double.NaN;
                acc = Math.Max(acc, Math.Abs(v));
            }
            return acc;
        }
        if (q == 2) return Math.Sqrt(Kernels.Pointwise.SumOfSquares(g)); // in double, vectorized
        if (q == 1)
        {
            foreach (float v in g) acc += Math.Abs(v);
            return acc;
        }
        foreach (float v in g) acc += Math.Pow(Math.Abs(v), q);
        return Math.Pow(acc, 1 / q);
    }

    private static List<Tensor> Gradients(IEnumerable<Parameter> parameters)
    {
        var grads = new List<Tensor>();
        foreach (var p in parameters)
        {
            if (p is null) throw new ArgumentException("The parameter list contains null.", nameof(parameters));
            if (p.Grad is not null) grads.Add(p.Grad);
        }
        return grads;
    }

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);
}
