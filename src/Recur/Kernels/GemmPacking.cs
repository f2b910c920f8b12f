// M rows of op(A) and C, N columns of op(B) and C, K inner dimension
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Recur.Kernels;

/// <summary>
/// Packs strips of A and B into k-major panels [kc, width] (width = Mr for A, Nr for B), the layout the
/// micro-kernels stream: one k step of a panel is `width` contiguous floats.
/// </summary>
internal static unsafe class GemmPacking
{
    /// <summary>
    /// Packs a [kc, cols] block stored in rows (ld apart) into ceil(cols / width) panels [kc, width], panel q at
    /// dst + q * width * kc: dst[q][p * width + j] = src[p * ld + q * width + j]; the last panel's missing columns
    /// are zeroed when <paramref name="pad"/>. Used for transposed A ([K, M] storage) and plain B ([K, N] storage).
    /// Each source row is read front to back, which keeps the hardware prefetcher streaming.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void PackRows(float* src, nint ld, int cols, int kc, float* dst, int width, bool pad)
    {
        int full = cols / width;
        int rest = cols - (full * width);
        nint panel = (nint)width * kc;
        if (width == 32 && Vector512.IsHardwareAccelerated)
        {
            FullPanels<Copy32>(src, ld, full, kc, dst);
        }
        else if (width == 16 && Vector256.IsHardwareAccelerated)
        {
            FullPanels<Copy16>(src, ld, full, kc, dst);
        }
        else if (width == 8 && Vector256.IsHardwareAccelerated)
        {
            FullPanels<Copy8>(src, ld, full, kc, dst);
        }
        else if (width == 6 && Vector128.IsHardwareAccelerated)
        {
            FullPanels<Copy6>(src, ld, full, kc, dst);
        }
        else if (width == 4 && Vector128.IsHardwareAccelerated)
        {
            FullPanels<Copy4>(src, ld, full, kc, dst);
        }
        else
        {
            for (int q = 0; q < full; q++)
            {
                for (int p = 0; p < kc; p++)
                {
                    Copy(src + (p * ld) + (q * width), dst + (q * panel) + (p * width), width);
                }
            }
        }

        if (rest > 0)
        {
            float* s = src + (full * width);
            float* d = dst + (full * panel);
            for (int p = 0; p < kc; p++, s += ld, d += width)
            {
                Copy(s, d, rest);
                if (pad)
                {
                    new Span<float>(d + rest, width - rest).Clear();
                }
            }
        }
    }

    /// <summary>
    /// Packs a [rows, kc] block stored in rows (ld apart) as columns: ceil(rows / width) panels [kc, width], panel q
    /// at dst + q * width * kc: dst[q][p * width + r] = src[(q * width + r) * ld + p]; the last panel's missing rows
    /// are zeroed when <paramref name="pad"/>. Used for plain A ([M, K] storage) and transposed B ([N, K] storage).
    /// </summary>
    internal static void PackColumns(float* src, nint ld, int rows, int kc, float* dst, int width, bool pad)
    {
        for (int q = 0; q * width < rows; q++)
        {
            PackColumnsPanel(src + (q * width * ld), ld, Math.Min(width, rows - (q * width)), kc, dst + (q * width * kc), width, pad);
        }
    }

    // One panel: dst[p * width + r] = src[r * ld + p] for r < rows (8 rows at a time through 8x8 transposes).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackColumnsPanel(float* src, nint ld, int rows, int kc, float* dst, int width, bool pad)
    {
        // Groups of 8 rows through 8 x 8 transposes, each group along all of kc (8 read streams at a time, which
        // measured faster than interleaving the groups); leftover rows and k steps one float at a time.
        int blocked = Avx.IsSupported ? rows - (rows % 8) : 0;
        int kBlocked = kc - (kc % 8);
        int r0 = 0;
        for (; r0 + 16 <= blocked; r0 += 16)
        {
            for (int p = 0; p < kBlocked; p += 8)
            {
                Transpose8x8(src + (r0 * ld) + p, ld, dst + (p * width) + r0, width);
                Transpose8x8(src + ((r0 + 8) * ld) + p, ld, dst + (p * width) + r0 + 8, width);
            }
        }

        for (; r0 < blocked; r0 += 8)
        {
            for (int p = 0; p < kBlocked; p += 8)
            {
                Transpose8x8(src + (r0 * ld) + p, ld, dst + (p * width) + r0, width);
            }
        }

        for (int r = 0; r < rows; r++)
        {
            float* s = src + (r * ld);
            for (int q = r < blocked ? kBlocked : 0; q < kc; q++)
            {
                dst[(q * width) + r] = s[q];
            }
        }

        if (pad)
        {
            for (int q = 0; q < kc; q++)
            {
                new Span<float>(dst + (q * width) + rows, width - rows).Clear();
            }
        }
    }

    // Full panels of a fixed width, reading each source row front to back.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FullPanels<TCopy>(float* src, nint ld, int panels, int kc, float* dst)
        where TCopy : struct, IPanelCopy
    {
        int width = TCopy.Width;
        nint panel = (nint)width * kc;
        for (int p = 0; p < kc; p++, src += ld, dst += width)
        {
            float* d = dst;
            for (int q = 0; q < panels; q++, d += panel)
            {
                TCopy.Copy(src + (q * width), d);
            }
        }
    }

    // Copies count floats with the widest vectors that fit, then scalars.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Copy(float* src, float* dst, int count)
    {
        int j = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; j + 16 <= count; j += 16)
            {
                Vector512.Store(Vector512.Load(src + j), dst + j);
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            for (; j + 8 <= count; j += 8)
            {
                Vector256.Store(Vector256.Load(src + j), dst + j);
            }
        }

        for (; j + 4 <= count; j += 4)
        {
            Vector128.Store(Vector128.Load(src + j), dst + j);
        }

        for (; j < count; j++)
        {
            dst[j] = src[j];
        }
    }

    // Reads 8 rows of 8 floats (ld apart) and writes them as 8 columns: dst[q * width + i] = src[i * ld + q].
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(float* src, nint ld, float* dst, int width)
    {
        Vector256<float> r0 = Avx.LoadVector256(src);
        Vector256<float> r1 = Avx.LoadVector256(src + ld);
        Vector256<float> r2 = Avx.LoadVector256(src + (2 * ld));
        Vector256<float> r3 = Avx.LoadVector256(src + (3 * ld));
        Vector256<float> r4 = Avx.LoadVector256(src + (4 * ld));
        Vector256<float> r5 = Avx.LoadVector256(src + (5 * ld));
        Vector256<float> r6 = Avx.LoadVector256(src + (6 * ld));
        Vector256<float> r7 = Avx.LoadVector256(src + (7 * ld));

        // Interleave pairs of rows, then pairs of pairs, then swap 128-bit halves.
        Vector256<float> t0 = Avx.UnpackLow(r0, r1);
        Vector256<float> t1 = Avx.UnpackHigh(r0, r1);
        Vector256<float> t2 = Avx.UnpackLow(r2, r3);
        Vector256<float> t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5);
        Vector256<float> t5 = Avx.UnpackHigh(r4, r5);
        Vector256<float> t6 = Avx.UnpackLow(r6, r7);
        Vector256<float> t7 = Avx.UnpackHigh(r6, r7);

        Vector256<float> s0 = Avx.Shuffle(t0, t2, 0x44);
        Vector256<float> s1 = Avx.Shuffle(t0, t2, 0xEE);
        Vector256<float> s2 = Avx.Shuffle(t1, t3, 0x44);
        Vector256<float> s3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> s4 = Avx.Shuffle(t4, t6, 0x44);
        Vector256<float> s5 = Avx.Shuffle(t4, t6, 0xEE);
        Vector256<float> s6 = Avx.Shuffle(t5, t7, 0x44);
        Vector256<float> s7 = Avx.Shuffle(t5, t7, 0xEE);

        Avx.Store(dst, Avx.Permute2x128(s0, s4, 0x20));
        Avx.Store(dst + width, Avx.Permute2x128(s1, s5, 0x20));
        Avx.Store(dst + (2 * width), Avx.Permute2x128(s2, s6, 0x20));
        Avx.Store(dst + (3 * width), Avx.Permute2x128(s3, s7, 0x20));
        Avx.Store(dst + (4 * width), Avx.Permute2x128(s0, s4, 0x31));
        Avx.Store(dst + (5 * width), Avx.Permute2x128(s1, s5, 0x31));
        Avx.Store(dst + (6 * width), Avx.Permute2x128(s2, s6, 0x31));
        Avx.Store(dst + (7 * width), Avx.Permute2x128(s3, s7, 0x31));
    }
}

/// <summary>Copies one k step of a fixed-width panel.</summary>
internal unsafe interface IPanelCopy
{
    /// <summary>Gets the floats per copy.</summary>
    static abstract int Width { get; }

    /// <summary>Copies Width floats.</summary>
    static abstract void Copy(float* src, float* dst);
}

/// <summary>32 floats as two Vector512.</summary>
internal readonly unsafe struct Copy32 : IPanelCopy
{
    public static int Width => 32;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Copy(float* src, float* dst)
    {
        Vector512.Store(Vector512.Load(src), dst);
        Vector512.Store(Vector512.Load(src + 16), dst + 16);
    }
}

/// <summary>16 floats as two Vector256 (the B panels of the Vector256 kernel).</summary>
internal readonly unsafe struct Copy16 : IPanelCopy
{
    public static int Width => 16;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Copy(float* src, float* dst)
    {
        Vector256.Store(Vector256.Load(src), dst);
        Vector256.Store(Vector256.Load(src + 8), dst + 8);
    }
}

/// <summary>6 floats as one Vector128 and one 8-byte move (the A panels of the Vector256 kernel), never touching a 7th float.</summary>
internal readonly unsafe struct Copy6 : IPanelCopy
{
    public static int Width => 6;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Copy(float* src, float* dst)
    {
        Vector128.Store(Vector128.Load(src), dst);
        Unsafe.WriteUnaligned(dst + 4, Unsafe.ReadUnaligned<ulong>(src + 4));
    }
}

/// <summary>4 floats as one Vector128 (the A panels of the portable kernel).</summary>
internal readonly unsafe struct Copy4 : IPanelCopy
{
    public static int Width => 4;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Copy(float* src, float* dst) => Vector128.Store(Vector128.Load(src), dst);
}

/// <summary>8 floats as one Vector256.</summary>
internal readonly unsafe struct Copy8 : IPanelCopy
{
    public static int Width => 8;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Copy(float* src, float* dst) => Vector256.Store(Vector256.Load(src), dst);
}
