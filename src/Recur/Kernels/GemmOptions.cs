// M rows of op(A) and C, N columns of op(B) and C, K inner dimension
namespace Recur.Kernels;

/// <summary>Which micro-kernel family a GEMM runs on.</summary>
internal enum GemmKernelKind
{
    /// <summary>The widest accelerated family: Vector512, else Vector256 with FMA, else portable.</summary>
    Auto,

    /// <summary><see cref="GemmMicroKernel512"/>.</summary>
    Vector512,

    /// <summary><see cref="GemmMicroKernel256"/>.</summary>
    Vector256,

    /// <summary><see cref="GemmMicroKernelPortable"/>.</summary>
    Portable,
}

/// <summary>How the B operand reaches the micro-kernel.</summary>
internal enum GemmBMode
{
    /// <summary>Read B in place when op(B) rows are contiguous and few rows of C reuse it, else pack.</summary>
    Auto,

    /// <summary>Always pack B into Nr-wide panels.</summary>
    Packed,

    /// <summary>Read B in place when it is not transposed (edge panels are still packed).</summary>
    Direct,
}

/// <summary>The loop nest a GEMM runs: chosen from the shape alone, so never from the thread count.</summary>
internal enum GemmPath
{
    /// <summary><see cref="GemmBlocked"/>: packed, cache-blocked, micro-kernel tiles.</summary>
    Blocked,

    /// <summary><see cref="GemmSmallRows"/>: a few rows of C, B not transposed.</summary>
    SmallRows,

    /// <summary><see cref="GemmSmallDot"/>: a few rows of C, B transposed (dot products of rows).</summary>
    SmallDot,
}

/// <summary>Internal knobs of <see cref="Gemm"/>, so tests and benchmarks can force each path. Zero means default.</summary>
internal readonly record struct GemmOptions
{
    /// <summary>Gets the micro-kernel family.</summary>
    public GemmKernelKind Kernel { get; init; }

    /// <summary>Gets the B operand mode.</summary>
    public GemmBMode BMode { get; init; }

    /// <summary>Gets the K block (depth of one packed panel); 0 = kernel default.</summary>
    public int Kc { get; init; }

    /// <summary>Gets the M block (rows of packed A kept in L2); 0 = kernel default.</summary>
    public int Mc { get; init; }

    /// <summary>Gets the N block (columns of packed B); 0 = kernel default.</summary>
    public int Nc { get; init; }

    /// <summary>Gets a forced thread count; 0 = decided by <see cref="KernelThreading"/> (work per thread, MaxThreads).</summary>
    public int Threads { get; init; }

    /// <summary>Gets a value indicating whether to use the blocked path even where a small-M path fits.</summary>
    public bool BlockedOnly { get; init; }

    /// <summary>Gets the kernel family actually used on this machine for <see cref="Kernel"/>.</summary>
    public GemmKernelKind ResolvedKernel => Kernel != GemmKernelKind.Auto ? Kernel : DefaultKernel;

    /// <summary>Gets the widest kernel family the hardware accelerates.</summary>
    public static GemmKernelKind DefaultKernel { get; } =
        System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated ? GemmKernelKind.Vector512
        : System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated && System.Runtime.Intrinsics.X86.Fma.IsSupported
            ? GemmKernelKind.Vector256
            : GemmKernelKind.Portable;
}
