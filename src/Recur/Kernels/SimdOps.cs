// n elements per span (x, y, dy, dx share it); matrices are row-major [rows, cols], softmax and bias act along cols
using System.Runtime.Intrinsics;

namespace Recur.Kernels;

/// <summary>An elementwise function y = f(x), given for scalars and each vector width (all lanes alike).</summary>
internal interface IUnaryOp
{
    /// <summary>f(x) on one element.</summary>
    static abstract float Invoke(float x);

    /// <summary>f(x) on 4 lanes.</summary>
    static abstract Vector128<float> Invoke(Vector128<float> x);

    /// <summary>f(x) on 8 lanes.</summary>
    static abstract Vector256<float> Invoke(Vector256<float> x);

    /// <summary>f(x) on 16 lanes.</summary>
    static abstract Vector512<float> Invoke(Vector512<float> x);
}

/// <summary>An elementwise function z = f(x, y).</summary>
internal interface IBinaryOp
{
    /// <summary>f(x, y) on one element.</summary>
    static abstract float Invoke(float x, float y);

    /// <summary>f(x, y) on 4 lanes.</summary>
    static abstract Vector128<float> Invoke(Vector128<float> x, Vector128<float> y);

    /// <summary>f(x, y) on 8 lanes.</summary>
    static abstract Vector256<float> Invoke(Vector256<float> x, Vector256<float> y);

    /// <summary>f(x, y) on 16 lanes.</summary>
    static abstract Vector512<float> Invoke(Vector512<float> x, Vector512<float> y);
}

/// <summary>An elementwise function w = f(x, y, z).</summary>
internal interface ITernaryOp
{
    /// <summary>f(x, y, z) on one element.</summary>
    static abstract float Invoke(float x, float y, float z);

    /// <summary>f(x, y, z) on 4 lanes.</summary>
    static abstract Vector128<float> Invoke(Vector128<float> x, Vector128<float> y, Vector128<float> z);

    /// <summary>f(x, y, z) on 8 lanes.</summary>
    static abstract Vector256<float> Invoke(Vector256<float> x, Vector256<float> y, Vector256<float> z);

    /// <summary>f(x, y, z) on 16 lanes.</summary>
    static abstract Vector512<float> Invoke(Vector512<float> x, Vector512<float> y, Vector512<float> z);
}

/// <summary>A term g(v) of a double-precision sum Σ g(x[i]), applied after widening each float to double.</summary>
internal interface IReduceTerm
{
    /// <summary>g(v) on one element.</summary>
    static abstract double Invoke(double v);

    /// <summary>g(v) on 2 lanes.</summary>
    static abstract Vector128<double> Invoke(Vector128<double> v);

    /// <summary>g(v) on 4 lanes.</summary>
    static abstract Vector256<double> Invoke(Vector256<double> v);

    /// <summary>g(v) on 8 lanes.</summary>
    static abstract Vector512<double> Invoke(Vector512<double> v);
}
