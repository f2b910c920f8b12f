using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Recur.Kernels;

/// <summary>
/// The float operations the activation math and the fused cell kernels need, over one lane type: a scalar or a
/// vector of 4, 8 or 16 floats. A formula written once against this interface runs, operation for operation, on the
/// scalar tail and on every vector width, so all of them give bitwise the same results. Multiply-adds are always
/// fused (rounded once); where the hardware lacks FMA the runtime computes them exactly in software. This is why it
/// stands beside the GEMM's <see cref="ISimdVector{TVec}"/>: that one has no scalar member and lets Vector128 use an
/// unfused multiply-add where it is faster, which the GEMM may do but bitwise-equal lanes may not.
/// </summary>
internal interface ILanes<TV>
    where TV : struct
{
    /// <summary>Gets the floats per lane value.</summary>
    static abstract int Count { get; }

    /// <summary>Reads Count floats at p + i.</summary>
    static abstract TV Load(ref float p, nuint i);

    /// <summary>Writes Count floats at p + i.</summary>
    static abstract void Store(TV v, ref float p, nuint i);

    /// <summary>Every lane set to x.</summary>
    static abstract TV Create(float x);

    /// <summary>a + b.</summary>
    static abstract TV Add(TV a, TV b);

    /// <summary>a - b.</summary>
    static abstract TV Subtract(TV a, TV b);

    /// <summary>a * b.</summary>
    static abstract TV Multiply(TV a, TV b);

    /// <summary>a / b.</summary>
    static abstract TV Divide(TV a, TV b);

    /// <summary>a * b + c, rounded once.</summary>
    static abstract TV Fma(TV a, TV b, TV c);

    /// <summary>|x|.</summary>
    static abstract TV Abs(TV x);

    /// <summary>|value| with the sign bit of <paramref name="sign"/>.</summary>
    static abstract TV CopySign(TV value, TV sign);

    /// <summary>a &lt; b ? x : y, per lane (false for NaN operands).</summary>
    static abstract TV SelectLess(TV a, TV b, TV x, TV y);

    /// <summary>
    /// 2^n for the integer n held in the low bits of <paramref name="shifted"/> = n + 1.5 * 2^23 (the round-to-integer
    /// trick), for n in [-126, 127]: the float whose exponent field is n + 127.
    /// </summary>
    static abstract TV PowerOfTwo(TV shifted);
}

/// <summary>One float per lane value: the scalar tail of the vector loops.</summary>
internal readonly struct ScalarLanes : ILanes<float>
{
    public static int Count => 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Load(ref float p, nuint i) => Unsafe.Add(ref p, i);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float v, ref float p, nuint i) => Unsafe.Add(ref p, i) = v;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Create(float x) => x;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Add(float a, float b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Subtract(float a, float b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Multiply(float a, float b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Divide(float a, float b) => a / b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Fma(float a, float b, float c) => MathF.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Abs(float x) => MathF.Abs(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float CopySign(float value, float sign) => MathF.CopySign(value, sign);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float SelectLess(float a, float b, float x, float y) => a < b ? x : y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float PowerOfTwo(float shifted) => BitConverter.Int32BitsToSingle((BitConverter.SingleToInt32Bits(shifted) << 23) + 0x3F800000);
}

/// <summary>Sixteen floats per lane value (AVX-512).</summary>
internal readonly struct Lanes512 : ILanes<Vector512<float>>
{
    public static int Count => 16;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(ref float p, nuint i) => Vector512.LoadUnsafe(ref p, i);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<float> v, ref float p, nuint i) => v.StoreUnsafe(ref p, i);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Create(float x) => Vector512.Create(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Add(Vector512<float> a, Vector512<float> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Subtract(Vector512<float> a, Vector512<float> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Multiply(Vector512<float> a, Vector512<float> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Divide(Vector512<float> a, Vector512<float> b) => a / b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Fma(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Vector512.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Abs(Vector512<float> x) => Vector512.Abs(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> CopySign(Vector512<float> value, Vector512<float> sign) => Vector512.CopySign(value, sign);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> SelectLess(Vector512<float> a, Vector512<float> b, Vector512<float> x, Vector512<float> y) =>
        Vector512.ConditionalSelect(Vector512.LessThan(a, b), x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> PowerOfTwo(Vector512<float> shifted) =>
        ((shifted.AsInt32() << 23) + Vector512.Create(0x3F800000)).AsSingle();
}

/// <summary>Eight floats per lane value (AVX2).</summary>
internal readonly struct Lanes256 : ILanes<Vector256<float>>
{
    public static int Count => 8;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load(ref float p, nuint i) => Vector256.LoadUnsafe(ref p, i);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<float> v, ref float p, nuint i) => v.StoreUnsafe(ref p, i);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Create(float x) => Vector256.Create(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Add(Vector256<float> a, Vector256<float> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Subtract(Vector256<float> a, Vector256<float> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Multiply(Vector256<float> a, Vector256<float> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Divide(Vector256<float> a, Vector256<float> b) => a / b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Fma(Vector256<float> a, Vector256<float> b, Vector256<float> c) => Vector256.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Abs(Vector256<float> x) => Vector256.Abs(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> CopySign(Vector256<float> value, Vector256<float> sign) => Vector256.CopySign(value, sign);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> SelectLess(Vector256<float> a, Vector256<float> b, Vector256<float> x, Vector256<float> y) =>
        Vector256.ConditionalSelect(Vector256.LessThan(a, b), x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> PowerOfTwo(Vector256<float> shifted) =>
        ((shifted.AsInt32() << 23) + Vector256.Create(0x3F800000)).AsSingle();
}

/// <summary>Four floats per lane value (SSE, NEON, or the runtime's software fallback).</summary>
internal readonly struct Lanes128 : ILanes<Vector128<float>>
{
    public static int Count => 4;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Load(ref float p, nuint i) => Vector128.LoadUnsafe(ref p, i);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<float> v, ref float p, nuint i) => v.StoreUnsafe(ref p, i);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Create(float x) => Vector128.Create(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Add(Vector128<float> a, Vector128<float> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Subtract(Vector128<float> a, Vector128<float> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Multiply(Vector128<float> a, Vector128<float> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Divide(Vector128<float> a, Vector128<float> b) => a / b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Fma(Vector128<float> a, Vector128<float> b, Vector128<float> c) => Vector128.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Abs(Vector128<float> x) => Vector128.Abs(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> CopySign(Vector128<float> value, Vector128<float> sign) => Vector128.CopySign(value, sign);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> SelectLess(Vector128<float> a, Vector128<float> b, Vector128<float> x, Vector128<float> y) =>
        Vector128.ConditionalSelect(Vector128.LessThan(a, b), x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> PowerOfTwo(Vector128<float> shifted) =>
        ((shifted.AsInt32() << 23) + Vector128.Create(0x3F800000)).AsSingle();
}

/// <summary>A loop body over lane values: <see cref="Run{TL, TV}"/> handles TL.Count consecutive elements from index j.</summary>
internal interface ILaneKernel
{
    /// <summary>Processes elements [j, j + TL.Count).</summary>
    void Run<TL, TV>(nuint j)
        where TL : struct, ILanes<TV>
        where TV : struct;
}

/// <summary>
/// Runs a lane kernel over [0, n): the widest accelerated vectors first, then narrower ones, then scalars. Each width
/// is its own method, so the JIT's inlining budget covers one width at a time: a fused cell kernel inlines a few
/// hundred lane operations per width, and with all four widths in one method the budget ran out and some operations
/// stayed calls.
/// </summary>
internal static class LaneLoop
{
    public static void Run<TK>(ref TK kernel, nuint n)
        where TK : struct, ILaneKernel
    {
        nuint j = 0;
        if (Vector512.IsHardwareAccelerated && n >= 16) j = Width<TK, Lanes512, Vector512<float>>(ref kernel, j, n);
        if (Vector256.IsHardwareAccelerated && n - j >= 8) j = Width<TK, Lanes256, Vector256<float>>(ref kernel, j, n);
        if (Vector128.IsHardwareAccelerated && n - j >= 4) j = Width<TK, Lanes128, Vector128<float>>(ref kernel, j, n);
        if (j < n) Width<TK, ScalarLanes, float>(ref kernel, j, n);
    }

    /// <summary>Runs the kernel from <paramref name="j"/> while TL.Count elements remain; returns where it stopped.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static nuint Width<TK, TL, TV>(ref TK kernel, nuint j, nuint n)
        where TK : struct, ILaneKernel
        where TL : struct, ILanes<TV>
        where TV : struct
    {
        nuint w = (nuint)TL.Count;
        for (; j + w <= n; j += w) kernel.Run<TL, TV>(j);
        return j;
    }
}

/// <summary>Small formulas over <see cref="ILanes{TV}"/> that several cell kernels share.</summary>
internal static unsafe class LaneRows
{
    /// <summary>v + row[j ..] when <paramref name="row"/> is given (a bias that may be absent), else v.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV AddRow<TL, TV>(TV v, float* row, nuint j)
        where TL : struct, ILanes<TV>
        where TV : struct
        => row == null ? v : TL.Add(v, TL.Load(ref *row, j));
}
