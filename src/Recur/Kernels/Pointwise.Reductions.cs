// n elements per span (x, y, dy, dx share it); matrices are row-major [rows, cols], softmax and bias act along cols
using System.Numerics.Tensors;

namespace Recur.Kernels;

/// <content>Whole-span reductions.</content>
public static partial class Pointwise
{
    /// <summary>Σ x[i], accumulated in double. 0 for an empty span; NaN or an infinity propagates.</summary>
    /// <param name="x">Input.</param>
    /// <returns>The sum.</returns>
    public static double Sum(ReadOnlySpan<float> x) => SimdLoops.Reduce<IdentityTerm>(x);

    /// <summary>Σ x[i]², squared and accumulated in double (no overflow for any finite float). 0 for an empty span.</summary>
    /// <param name="x">Input.</param>
    /// <returns>The sum of squares.</returns>
    public static double SumOfSquares(ReadOnlySpan<float> x) => SimdLoops.Reduce<SquareTerm>(x);

    /// <summary>max_i x[i]; NaN if any element is NaN, and +0 is above -0.</summary>
    /// <param name="x">Input, not empty.</param>
    /// <returns>The largest element.</returns>
    /// <exception cref="ArgumentException">x is empty.</exception>
    public static float Max(ReadOnlySpan<float> x)
    {
        if (x.IsEmpty)
        {
            throw new ArgumentException("x is empty: the maximum needs at least 1 element.", nameof(x));
        }

        return TensorPrimitives.Max(x);
    }
}
