// n elements per span (x, y, dy, dx share it); matrices are row-major [rows, cols], softmax and bias act along cols
using System.Runtime.Intrinsics;

namespace Recur.Kernels;

// Operator structs for SimdLoops. Each spells the same arithmetic, in the same order, for scalars and every
// vector width, with no fused multiply-add, so the vector and scalar paths (and the Reference twins) agree bitwise.

/// <summary>g(v) = v, for sums.</summary>
internal readonly struct IdentityTerm : IReduceTerm
{
    public static double Invoke(double v) => v;

    public static Vector128<double> Invoke(Vector128<double> v) => v;

    public static Vector256<double> Invoke(Vector256<double> v) => v;

    public static Vector512<double> Invoke(Vector512<double> v) => v;
}

/// <summary>g(v) = v * v in double, for sums of squares that neither overflow nor lose small terms.</summary>
internal readonly struct SquareTerm : IReduceTerm
{
    public static double Invoke(double v) => v * v;

    public static Vector128<double> Invoke(Vector128<double> v) => v * v;

    public static Vector256<double> Invoke(Vector256<double> v) => v * v;

    public static Vector512<double> Invoke(Vector512<double> v) => v * v;
}

/// <summary>f(x) = max(x, 0) with IEEE 754-2019 maximum: NaN propagates and -0 becomes +0.</summary>
internal readonly struct ReluOp : IUnaryOp
{
    public static float Invoke(float x) => MathF.Max(x, 0f);

    public static Vector128<float> Invoke(Vector128<float> x) => Vector128.Max(x, Vector128<float>.Zero);

    public static Vector256<float> Invoke(Vector256<float> x) => Vector256.Max(x, Vector256<float>.Zero);

    public static Vector512<float> Invoke(Vector512<float> x) => Vector512.Max(x, Vector512<float>.Zero);
}

/// <summary>
/// f(x) = tanh(x), evaluated in double and rounded once to float, so it is accurate to about half an ulp for every
/// input, tiny ones included (TensorPrimitives.Tanh 10.0 loses all precision below |x| ~ 1e-3 and flips the sign of
/// tiny negative inputs). |x| &lt; 1e-3 uses x (1 - x^2 / 3); larger |x| uses (1 - e) / (1 + e) with e = exp(-2|x|),
/// which saturates to exactly 1 and passes NaN through.
/// </summary>
internal readonly struct TanhOp : IUnaryOp
{
    private const double SmallX = 1e-3;

    public static float Invoke(float x)
    {
        double t = Math.Abs((double)x);
        double e = Math.Exp(-2 * t);
        double r = t < SmallX ? t * (1 - (t * t / 3)) : (1 - e) / (1 + e);
        return (float)Math.CopySign(r, x);
    }

    public static Vector128<float> Invoke(Vector128<float> x)
    {
        (Vector128<double> lo, Vector128<double> hi) = Vector128.Widen(x);
        return Vector128.Narrow(Tanh(lo), Tanh(hi));
    }

    public static Vector256<float> Invoke(Vector256<float> x)
    {
        (Vector256<double> lo, Vector256<double> hi) = Vector256.Widen(x);
        return Vector256.Narrow(Tanh(lo), Tanh(hi));
    }

    public static Vector512<float> Invoke(Vector512<float> x)
    {
        (Vector512<double> lo, Vector512<double> hi) = Vector512.Widen(x);
        return Vector512.Narrow(Tanh(lo), Tanh(hi));
    }

    private static Vector128<double> Tanh(Vector128<double> x)
    {
        Vector128<double> t = Vector128.Abs(x);
        Vector128<double> e = Vector128.Exp(t * -2.0);
        Vector128<double> small = t * (Vector128<double>.One - (t * t / 3.0));
        Vector128<double> large = (Vector128<double>.One - e) / (Vector128<double>.One + e);
        return Vector128.CopySign(Vector128.ConditionalSelect(Vector128.LessThan(t, Vector128.Create(SmallX)), small, large), x);
    }

    private static Vector256<double> Tanh(Vector256<double> x)
    {
        Vector256<double> t = Vector256.Abs(x);
        Vector256<double> e = Vector256.Exp(t * -2.0);
        Vector256<double> small = t * (Vector256<double>.One - (t * t / 3.0));
        Vector256<double> large = (Vector256<double>.One - e) / (Vector256<double>.One + e);
        return Vector256.CopySign(Vector256.ConditionalSelect(Vector256.LessThan(t, Vector256.Create(SmallX)), small, large), x);
    }

    private static Vector512<double> Tanh(Vector512<double> x)
    {
        Vector512<double> t = Vector512.Abs(x);
        Vector512<double> e = Vector512.Exp(t * -2.0);
        Vector512<double> small = t * (Vector512<double>.One - (t * t / 3.0));
        Vector512<double> large = (Vector512<double>.One - e) / (Vector512<double>.One + e);
        return Vector512.CopySign(Vector512.ConditionalSelect(Vector512.LessThan(t, Vector512.Create(SmallX)), small, large), x);
    }
}

/// <summary>f(y, dy) = y &gt; 0 ? dy : 0, the ReLU gradient from its output y (NaN y gives 0).</summary>
internal readonly struct ReluBackwardOp : IBinaryOp
{
    public static float Invoke(float y, float dy) => y > 0f ? dy : 0f;

    public static Vector128<float> Invoke(Vector128<float> y, Vector128<float> dy) =>
        Vector128.ConditionalSelect(Vector128.GreaterThan(y, Vector128<float>.Zero), dy, Vector128<float>.Zero);

    public static Vector256<float> Invoke(Vector256<float> y, Vector256<float> dy) =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(y, Vector256<float>.Zero), dy, Vector256<float>.Zero);

    public static Vector512<float> Invoke(Vector512<float> y, Vector512<float> dy) =>
        Vector512.ConditionalSelect(Vector512.GreaterThan(y, Vector512<float>.Zero), dy, Vector512<float>.Zero);
}

/// <summary>f(y, dy) = dy * y * (1 - y), the sigmoid gradient from its output y.</summary>
internal readonly struct SigmoidBackwardOp : IBinaryOp
{
    public static float Invoke(float y, float dy) => dy * y * (1f - y);

    public static Vector128<float> Invoke(Vector128<float> y, Vector128<float> dy) => dy * y * (Vector128<float>.One - y);

    public static Vector256<float> Invoke(Vector256<float> y, Vector256<float> dy) => dy * y * (Vector256<float>.One - y);

    public static Vector512<float> Invoke(Vector512<float> y, Vector512<float> dy) => dy * y * (Vector512<float>.One - y);
}

/// <summary>f(y, dy) = dy * (1 - y * y), the tanh gradient from its output y.</summary>
internal readonly struct TanhBackwardOp : IBinaryOp
{
    public static float Invoke(float y, float dy) => dy * (1f - (y * y));

    public static Vector128<float> Invoke(Vector128<float> y, Vector128<float> dy) => dy * (Vector128<float>.One - (y * y));

    public static Vector256<float> Invoke(Vector256<float> y, Vector256<float> dy) => dy * (Vector256<float>.One - (y * y));

    public static Vector512<float> Invoke(Vector512<float> y, Vector512<float> dy) => dy * (Vector512<float>.One - (y * y));
}

/// <summary>f(x, y, acc) = acc + TOp(x, y): turns an overwriting binary op into an accumulating one.</summary>
internal readonly struct AccumulateOp<TOp> : ITernaryOp
    where TOp : IBinaryOp
{
    public static float Invoke(float x, float y, float acc) => acc + TOp.Invoke(x, y);

    public static Vector128<float> Invoke(Vector128<float> x, Vector128<float> y, Vector128<float> acc) => acc + TOp.Invoke(x, y);

    public static Vector256<float> Invoke(Vector256<float> x, Vector256<float> y, Vector256<float> acc) => acc + TOp.Invoke(x, y);

    public static Vector512<float> Invoke(Vector512<float> x, Vector512<float> y, Vector512<float> acc) => acc + TOp.Invoke(x, y);
}
