// n elements per span (parameter, gradient, m, v, vMax share it)
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Recur.Kernels;

/// <summary>The constants of one Adam / AdamW update (see <see cref="AdamKernel"/>).</summary>
/// <param name="Beta1">Decay of the first moment.</param>
/// <param name="Beta2">Decay of the second moment.</param>
/// <param name="Epsilon">Added to the denominator.</param>
/// <param name="StepSize">lr / (1 - beta1^t).</param>
/// <param name="BiasCorrection2Sqrt">sqrt(1 - beta2^t).</param>
/// <param name="Shrink">1 - lr * lambda for AdamW's decoupled decay, else 1.</param>
/// <param name="L2">Adam's L2 term lambda added to the gradient (0 for AdamW).</param>
/// <param name="Sign">-1 to maximize, else 1.</param>
/// <param name="GradientScale">The gradient is first rounded to (float)(g * scale), as clipping by norm scales it; 1 leaves it.</param>
public readonly record struct AdamConstants(double Beta1, double Beta2, double Epsilon, double StepSize, double BiasCorrection2Sqrt, double Shrink, double L2, double Sign,
    double GradientScale = 1);

/// <summary>
/// The Adam / AdamW update of one parameter, element by element in double precision (PyTorch's formulas):
/// g = sign * (float)(grad * scale) (+ L2 * p); p *= shrink; m = b1 m + (1 - b1) g; v = b2 v + ((1 - b2) g) g; with AMSGrad
/// v = vMax = max(vMax, v); p -= stepSize * m / (sqrt(v) / bc2 + eps). Four doubles per vector, without fused
/// multiply-adds, so every element is bitwise what the scalar twin computes; large parameters are split across threads
/// (elements are independent). The spans must not overlap one another.
/// </summary>
public static class AdamKernel
{
    // Elements per part below which one thread is faster than two.
    private const int MinElementsPerPart = 1 << 16;

    /// <summary>Updates <paramref name="parameter"/>, <paramref name="m"/>, <paramref name="v"/> and (AMSGrad, when not empty) <paramref name="vMax"/> in place.</summary>
    /// <exception cref="ArgumentException">The spans' lengths differ.</exception>
    public static void Update(Span<float> parameter, ReadOnlySpan<float> gradient, Span<float> m, Span<float> v, Span<float> vMax, in AdamConstants c)
    {
        unsafe
        {
            fixed (float* g = gradient) Update(parameter, new Span<float>(g, gradient.Length), m, v, vMax, c, zeroGradient: false);
        }
    }

    /// <summary>
    /// The same update, and with <paramref name="zeroGradient"/> the gradient set to zero in the same pass (what a
    /// zero_grad after the step would do).
    /// </summary>
    /// <exception cref="ArgumentException">The spans' lengths differ.</exception>
    public static void Update(Span<float> parameter, Span<float> gradient, Span<float> m, Span<float> v, Span<float> vMax, in AdamConstants c, bool zeroGradient)
    {
        int n = parameter.Length;
        if (gradient.Length != n || m.Length != n || v.Length != n || (!vMax.IsEmpty && vMax.Length != n))
            throw new ArgumentException($"Adam expects spans of one length, got parameter {n}, gradient {gradient.Length}, m {m.Length}, v {v.Length}, vMax {vMax.Length}.");
        int parts = KernelThreading.PartsFor(n, MinElementsPerPart);
        if (parts <= 1)
        {
            Range(parameter, gradient, m, v, vMax, c, zeroGradient);
            return;
        }
        unsafe
        {
            fixed (float* pp = parameter, gp = gradient, mp = m, vp = v, xp = vMax)
            {
                var job = new Job((nint)pp, (nint)gp, (nint)mp, (nint)vp, vMax.IsEmpty ? 0 : (nint)xp, n, parts, c, zeroGradient);
                KernelThreading.For(parts, parts, job, static (j, part) => j.Run(part));
            }
        }
    }

    private sealed class Job(nint p, nint g, nint m, nint v, nint x, int n, int parts, AdamConstants c, bool zero)
    {
        public unsafe void Run(int part)
        {
            var (start, length) = KernelThreading.Chunk(n, parts, part);
            if (length <= 0) return;
            Range(new Span<float>((float*)p + start, length), new Span<float>((float*)g + start, length), new Span<float>((float*)m + start, length),
                new Span<float>((float*)v + start, length), x == 0 ? default : new Span<float>((float*)x + start, length), c, zero);
        }
    }

    private static void Range(Span<float> parameter, Span<float> gradient, Span<float> m, Span<float> v, Span<float> vMax, in AdamConstants c, bool zero)
    {
        ref float pr = ref MemoryMarshal.GetReference(parameter);
        ref float gr = ref MemoryMarshal.GetReference(gradient);
        ref float mr = ref MemoryMarshal.GetReference(m);
        ref float vr = ref MemoryMarshal.GetReference(v);
        ref float xr = ref MemoryMarshal.GetReference(vMax);
        bool ams = !vMax.IsEmpty, scaled = c.GradientScale != 1;
        nuint n = (nuint)parameter.Length, i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var k = new Lanes(c);
            var scale = Vector256.Create(c.GradientScale);
            for (; i + 8 <= n; i += 8)
            {
                var p = Vector256.LoadUnsafe(ref pr, i);
                var g = Vector256.LoadUnsafe(ref gr, i);
                // Zeroing skips gradient vectors whose bits are already all zero (the untouched rows of an embedding):
                // the same memory afterwards, but their cache lines stay clean and are never written back.
                if (zero && g.AsUInt32() != Vector256<uint>.Zero) Vector256<float>.Zero.StoreUnsafe(ref gr, i);
                if (scaled) g = Vector256.Narrow(Vector256.WidenLower(g) * scale, Vector256.WidenUpper(g) * scale); // rounded to float, as clipping leaves it
                var mv = Vector256.LoadUnsafe(ref mr, i);
                var vv = Vector256.LoadUnsafe(ref vr, i);
                var xv = ams ? Vector256.LoadUnsafe(ref xr, i) : default;
                var (p0, m0, v0, x0) = k.Step(Vector256.WidenLower(p), Vector256.WidenLower(g), Vector256.WidenLower(mv), Vector256.WidenLower(vv), Vector256.WidenLower(xv), ams);
                var (p1, m1, v1, x1) = k.Step(Vector256.WidenUpper(p), Vector256.WidenUpper(g), Vector256.WidenUpper(mv), Vector256.WidenUpper(vv), Vector256.WidenUpper(xv), ams);
                Vector256.Narrow(p0, p1).StoreUnsafe(ref pr, i);
                Vector256.Narrow(m0, m1).StoreUnsafe(ref mr, i);
                Vector256.Narrow(v0, v1).StoreUnsafe(ref vr, i);
                if (ams) Vector256.Narrow(x0, x1).StoreUnsafe(ref xr, i);
            }
        }
        for (; i < n; i++)
        {
            double xi = ams ? Unsafe.Add(ref xr, i) : 0;
            float gi = Unsafe.Add(ref gr, i);
            if (scaled) gi = (float)(gi * c.GradientScale);
            if (zero) Unsafe.Add(ref gr, i) = 0;
            var (p, mi, vi, x) = Scalar(Unsafe.Add(ref pr, i), gi, Unsafe.Add(ref mr, i), Unsafe.Add(ref vr, i), xi, ams, c);
            Unsafe.Add(ref pr, i) = p;
            Unsafe.Add(ref mr, i) = mi;
            Unsafe.Add(ref vr, i) = vi;
            if (ams) Unsafe.Add(ref xr, i) = x;
        }
    }

    /// <summary>One element, as the scalar twin (Reference.ReferenceAdam) computes it.</summary>
    private static (float P, float M, float V, float VMax) Scalar(double p, double g, double m, double v, double vMax, bool ams, in AdamConstants c)
    {
        g = c.Sign * g;
        if (c.L2 != 0) g += c.L2 * p;
        p *= c.Shrink;
        double mi = (c.Beta1 * m) + ((1 - c.Beta1) * g);
        double vi = (c.Beta2 * v) + ((1 - c.Beta2) * g * g);
        float mOut = (float)mi, vOut = (float)vi, xOut = 0;
        if (ams)
        {
            vi = Math.Max(vMax, vi);
            xOut = (float)vi;
        }
        double denom = (Math.Sqrt(vi) / c.BiasCorrection2Sqrt) + c.Epsilon;
        return ((float)(p - (c.StepSize * (mi / denom))), mOut, vOut, xOut);
    }

    // The constants broadcast once per range.
    private readonly struct Lanes(AdamConstants c)
    {
        private readonly Vector256<double> _sign = Vector256.Create(c.Sign), _l2 = Vector256.Create(c.L2), _shrink = Vector256.Create(c.Shrink),
            _b1 = Vector256.Create(c.Beta1), _b1c = Vector256.Create(1 - c.Beta1), _b2 = Vector256.Create(c.Beta2), _b2c = Vector256.Create(1 - c.Beta2),
            _bc2 = Vector256.Create(c.BiasCorrection2Sqrt), _eps = Vector256.Create(c.Epsilon), _step = Vector256.Create(c.StepSize);
        private readonly bool _hasL2 = c.L2 != 0;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public (Vector256<double> P, Vector256<double> M, Vector256<double> V, Vector256<double> VMax) Step(
            Vector256<double> p, Vector256<double> g, Vector256<double> m, Vector256<double> v, Vector256<double> vMax, bool ams)
        {
            g = _sign * g;
            if (_hasL2) g += _l2 * p;
            p *= _shrink;
            var mi = (_b1 * m) + (_b1c * g);
            var vi = (_b2 * v) + (_b2c * g * g);
            var vOut = vi;
            if (ams) vi = Vector256.Max(vMax, vi);
            var denom = (Vector256.Sqrt(vi) / _bc2) + _eps;
            return (p - (_step * (mi / denom)), mi, vOut, vi);
        }
    }
}
