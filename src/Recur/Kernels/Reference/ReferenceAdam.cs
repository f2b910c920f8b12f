// n elements per span
namespace Recur.Kernels.Reference;

/// <summary>The scalar twin of <see cref="AdamKernel"/>: one plain loop, the same formulas in the same order.</summary>
internal static class ReferenceAdam
{
    public static void Update(Span<float> parameter, Span<float> gradient, Span<float> m, Span<float> v, Span<float> vMax, in AdamConstants c, bool zeroGradient = false)
    {
        for (int i = 0; i < parameter.Length; i++)
        {
            double p = parameter[i];
            float scaled = c.GradientScale == 1 ? gradient[i] : (float)(gradient[i] * c.GradientScale);
            if (zeroGradient) gradient[i] = 0;
            double g = c.Sign * scaled;
            if (c.L2 != 0) g += c.L2 * p;
            p *= c.Shrink;
            double mi = c.Beta1 * m[i] + (1 - c.Beta1) * g;
            double vi = c.Beta2 * v[i] + (1 - c.Beta2) * g * g;
            m[i] = (float)mi;
            v[i] = (float)vi;
            if (!vMax.IsEmpty)
            {
                vi = Math.Max(vMax[i], vi);
                vMax[i] = (float)vi;
            }
            double denom = Math.Sqrt(vi) / c.BiasCorrection2Sqrt + c.Epsilon;
            parameter[i] = (float)(p - c.StepSize * (mi / denom));
        }
    }
}
