// B batch, T time, I input, H hidden, P projection, G gates (LSTM 4H i,f,g,o; GRU 3H r,z,n), L layers, D directions
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Recur.Kernels.Recurrent;

/// <summary>
/// The activations of the recurrent cells over spans. Each writes <c>y[i] = f(x[i])</c> for i &lt; x.Length;
/// <c>y</c> may be <c>x</c> itself (in place) but must not overlap it otherwise.
/// </summary>
public static class CellActivations
{
    private const double SmallX = 1e-3;

    /// <summary>
    /// y = tanh(x), evaluated in double and rounded once: with t = |x|, tanh = sign(x) * (t &lt; 1e-3 ? t (1 - t^2 / 3)
    /// : (1 - e) / (1 + e)), e = exp(-2t). Exact zero stays zero (with its sign), +-Inf gives +-1, NaN stays NaN.
    /// (System.Numerics.Tensors 10.0's Tanh returns -6e-8 for 0 and loses the relative precision of tiny inputs.)
    /// </summary>
    public static void Tanh(ReadOnlySpan<float> x, Span<float> y)
    {
        CheckDestination(x.Length, y.Length);
        int n = x.Length, i = 0;
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float yr = ref MemoryMarshal.GetReference(y);
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                var (lo, hi) = Vector512.Widen(Vector512.LoadUnsafe(ref xr, (nuint)i));
                Vector512.Narrow(Tanh(lo), Tanh(hi)).StoreUnsafe(ref yr, (nuint)i);
            }
        }
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= n - Vector<float>.Count; i += Vector<float>.Count)
            {
                Vector.Widen(Vector.LoadUnsafe(ref xr, (nuint)i), out Vector<double> lo, out Vector<double> hi);
                Vector.Narrow(Tanh(lo), Tanh(hi)).StoreUnsafe(ref yr, (nuint)i);
            }
        }
        for (; i < n; i++) Unsafe.Add(ref yr, i) = Tanh(Unsafe.Add(ref xr, i));
    }

    /// <summary>y = 1 / (1 + exp(-x)) (TensorPrimitives.Sigmoid).</summary>
    public static void Sigmoid(ReadOnlySpan<float> x, Span<float> y)
    {
        CheckDestination(x.Length, y.Length);
        if (!x.IsEmpty) TensorPrimitives.Sigmoid(x, y[..x.Length]); // it rejects empty spans
    }

    /// <summary>y = max(x, 0) (TensorPrimitives.Max); NaN stays NaN.</summary>
    public static void Relu(ReadOnlySpan<float> x, Span<float> y)
    {
        CheckDestination(x.Length, y.Length);
        TensorPrimitives.Max(x, 0f, y[..x.Length]);
    }

    /// <summary>Scalar tanh with the same formula as the span version.</summary>
    public static float Tanh(float x)
    {
        double t = Math.Abs((double)x);
        double r = t < SmallX ? t * (1 - (t * t / 3)) : (1 - Math.Exp(-2 * t)) / (1 + Math.Exp(-2 * t));
        return (float)Math.CopySign(r, x);
    }

    private static Vector<double> Tanh(Vector<double> x)
    {
        var one = Vector<double>.One;
        var t = Vector.Abs(x);
        var e = Vector.Exp(t * -2.0);
        var large = (one - e) / (one + e);
        var small = t * (one - (t * t / 3.0));
        var r = Vector.ConditionalSelect(Vector.LessThan(t, new Vector<double>(SmallX)), small, large);
        return Vector.CopySign(r, x);
    }

    private static Vector512<double> Tanh(Vector512<double> x)
    {
        var one = Vector512<double>.One;
        var t = Vector512.Abs(x);
        var e = Vector512.Exp(t * -2.0);
        var large = (one - e) / (one + e);
        var small = t * (one - (t * t / 3.0));
        var r = Vector512.ConditionalSelect(Vector512.LessThan(t, Vector512.Create(SmallX)), small, large);
        return Vector512.CopySign(r, x);
    }

    private static void CheckDestination(int source, int destination)
    {
        if (destination < source)
            throw new ArgumentException($"The destination holds {destination} elements but the source has {source}.", "y");
    }
}
