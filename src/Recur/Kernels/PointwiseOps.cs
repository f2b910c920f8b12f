// n elements per span (x, y, dy, dx share it); matrices are row-major [rows, cols], softmax and bias act along cols
using System.Runtime.Intrinsics;

namespace Recur.Kernels;

// Operator structs for SimdLoops. Each spells the same arithmetic, in the same order, for scalars and every
// vector width, with no fused multiply-add, so the vector and scalar paths (and the Reference twins) agree bitwise.
// TanhOp and SigmoidOp are the exception: they call ActivationMath, written once over ILanes with fused
// multiply-adds, so their widths still agree bitwise with each other, and with double-precision twins to 1.51 and
// 2.41 ulp.

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

/// <summary>f(x) = tanh(x) in single precision (<see cref="ActivationMath.Tanh{TL, TV}"/>: within 1.51 ulp, exact for tiny inputs and -0).</summary>
internal readonly struct TanhOp : IUnaryOp
{
    public static float Invoke(float x) => ActivationMath.Tanh<ScalarLanes, float>(x);

    public static Vector128<float> Invoke(Vector128<float> x) => ActivationMath.Tanh<Lanes128, Vector128<float>>(x);

    public static Vector256<float> Invoke(Vector256<float> x) => ActivationMath.Tanh<Lanes256, Vector256<float>>(x);

    public static Vector512<float> Invoke(Vector512<float> x) => ActivationMath.Tanh<Lanes512, Vector512<float>>(x);
}

/// <summary>f(x) = 1 / (1 + exp(-x)) in single precision (<see cref="ActivationMath.Sigmoid{TL, TV}"/>: within 2.41 ulp).</summary>
internal readonly struct SigmoidOp : IUnaryOp
{
    public static float Invoke(float x) => ActivationMath.Sigmoid<ScalarLanes, float>(x);

    public static Vector128<float> Invoke(Vector128<float> x) => ActivationMath.Sigmoid<Lanes128, Vector128<float>>(x);

    public static Vector256<float> Invoke(Vector256<float> x) => ActivationMath.Sigmoid<Lanes256, Vector256<float>>(x);

    public static Vector512<float> Invoke(Vector512<float> x) => ActivationMath.Sigmoid<Lanes512, Vector512<float>>(x);
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
