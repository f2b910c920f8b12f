// n elements per span (x, y, dy, dx share it); matrices are row-major [rows, cols], softmax and bias act along cols
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Recur.Kernels;

/// <summary>
/// The generic loops every pointwise kernel runs on: widest accelerated vectors first, then narrower ones, then
/// scalars for the last few elements. Each element is read before its output is written, and chunks go front to
/// back, so an output may be the very same span as an input (in place), but must not partially overlap one.
/// Callers check lengths; the loops trust them.
/// </summary>
internal static class SimdLoops
{
    /// <summary>y[i] = TOp(x[i]) for i &lt; x.Length.</summary>
    public static void Map<TOp>(ReadOnlySpan<float> x, Span<float> y)
        where TOp : IUnaryOp
    {
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float yr = ref MemoryMarshal.GetReference(y);
        nuint n = (nuint)x.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i + 16 <= n; i += 16)
            {
                TOp.Invoke(Vector512.LoadUnsafe(ref xr, i)).StoreUnsafe(ref yr, i);
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + 8 <= n; i += 8)
            {
                TOp.Invoke(Vector256.LoadUnsafe(ref xr, i)).StoreUnsafe(ref yr, i);
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            for (; i + 4 <= n; i += 4)
            {
                TOp.Invoke(Vector128.LoadUnsafe(ref xr, i)).StoreUnsafe(ref yr, i);
            }
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref yr, i) = TOp.Invoke(Unsafe.Add(ref xr, i));
        }
    }

    /// <summary>dst[i] = TOp(x[i], y[i]) for i &lt; x.Length.</summary>
    public static void Zip<TOp>(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> dst)
        where TOp : IBinaryOp
    {
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float yr = ref MemoryMarshal.GetReference(y);
        ref float dr = ref MemoryMarshal.GetReference(dst);
        nuint n = (nuint)x.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i + 16 <= n; i += 16)
            {
                TOp.Invoke(Vector512.LoadUnsafe(ref xr, i), Vector512.LoadUnsafe(ref yr, i)).StoreUnsafe(ref dr, i);
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + 8 <= n; i += 8)
            {
                TOp.Invoke(Vector256.LoadUnsafe(ref xr, i), Vector256.LoadUnsafe(ref yr, i)).StoreUnsafe(ref dr, i);
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            for (; i + 4 <= n; i += 4)
            {
                TOp.Invoke(Vector128.LoadUnsafe(ref xr, i), Vector128.LoadUnsafe(ref yr, i)).StoreUnsafe(ref dr, i);
            }
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref dr, i) = TOp.Invoke(Unsafe.Add(ref xr, i), Unsafe.Add(ref yr, i));
        }
    }

    /// <summary>dst[i] = TOp(x[i], y[i], z[i]) for i &lt; x.Length.</summary>
    public static void Zip3<TOp>(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> z, Span<float> dst)
        where TOp : ITernaryOp
    {
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float yr = ref MemoryMarshal.GetReference(y);
        ref float zr = ref MemoryMarshal.GetReference(z);
        ref float dr = ref MemoryMarshal.GetReference(dst);
        nuint n = (nuint)x.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i + 16 <= n; i += 16)
            {
                TOp.Invoke(Vector512.LoadUnsafe(ref xr, i), Vector512.LoadUnsafe(ref yr, i), Vector512.LoadUnsafe(ref zr, i))
                    .StoreUnsafe(ref dr, i);
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + 8 <= n; i += 8)
            {
                TOp.Invoke(Vector256.LoadUnsafe(ref xr, i), Vector256.LoadUnsafe(ref yr, i), Vector256.LoadUnsafe(ref zr, i))
                    .StoreUnsafe(ref dr, i);
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            for (; i + 4 <= n; i += 4)
            {
                TOp.Invoke(Vector128.LoadUnsafe(ref xr, i), Vector128.LoadUnsafe(ref yr, i), Vector128.LoadUnsafe(ref zr, i))
                    .StoreUnsafe(ref dr, i);
            }
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref dr, i) = TOp.Invoke(Unsafe.Add(ref xr, i), Unsafe.Add(ref yr, i), Unsafe.Add(ref zr, i));
        }
    }

    /// <summary>Σ TTerm(x[i]), each element widened to double first and summed in double (lanes, then across).</summary>
    public static double Reduce<TTerm>(ReadOnlySpan<float> x)
        where TTerm : IReduceTerm
    {
        ref float xr = ref MemoryMarshal.GetReference(x);
        nuint n = (nuint)x.Length, i = 0;
        double sum = 0;
        if (Vector512.IsHardwareAccelerated && n >= 16)
        {
            Vector512<double> lo = Vector512<double>.Zero, hi = Vector512<double>.Zero;
            for (; i + 16 <= n; i += 16)
            {
                (Vector512<double> l, Vector512<double> h) = Vector512.Widen(Vector512.LoadUnsafe(ref xr, i));
                lo += TTerm.Invoke(l);
                hi += TTerm.Invoke(h);
            }

            sum += Vector512.Sum(lo + hi);
        }

        if (Vector256.IsHardwareAccelerated && i + 8 <= n)
        {
            Vector256<double> lo = Vector256<double>.Zero, hi = Vector256<double>.Zero;
            for (; i + 8 <= n; i += 8)
            {
                (Vector256<double> l, Vector256<double> h) = Vector256.Widen(Vector256.LoadUnsafe(ref xr, i));
                lo += TTerm.Invoke(l);
                hi += TTerm.Invoke(h);
            }

            sum += Vector256.Sum(lo + hi);
        }

        if (Vector128.IsHardwareAccelerated && i + 4 <= n)
        {
            Vector128<double> lo = Vector128<double>.Zero, hi = Vector128<double>.Zero;
            for (; i + 4 <= n; i += 4)
            {
                (Vector128<double> l, Vector128<double> h) = Vector128.Widen(Vector128.LoadUnsafe(ref xr, i));
                lo += TTerm.Invoke(l);
                hi += TTerm.Invoke(h);
            }

            sum += Vector128.Sum(lo + hi);
        }

        for (; i < n; i++)
        {
            sum += TTerm.Invoke((double)Unsafe.Add(ref xr, i));
        }

        return sum;
    }
}
