// M rows of op(A) and C, N columns of op(B) and C, K inner dimension
namespace Recur.Kernels;

/// <summary>Cache block sizes of the blocked GEMM: Kc depth, Mc rows of packed A, Nc columns of packed B.</summary>
internal readonly record struct GemmBlocking(int Kc, int Mc, int Nc)
{
    /// <summary>
    /// Default blocks for a kernel, measured on a Zen 5 core (48 KiB L1, 1 MiB L2): the Mc x Kc A block takes a
    /// fifth of L2, the Kc x Nc B block a few MiB of L3. A Kc of 512 (a 64 KiB B micro-panel for the 32-wide
    /// Vector512 kernel, streamed from L2) beat 256 by a few percent: half as many C tile updates per k.
    /// </summary>
    public static GemmBlocking For(GemmKernelKind kind) => kind switch
    {
        GemmKernelKind.Vector512 => new GemmBlocking(512, 96, 2048),
        GemmKernelKind.Vector256 => new GemmBlocking(256, 192, 2048),
        _ => new GemmBlocking(256, 128, 1024),
    };

    /// <summary>Overrides the sizes that <paramref name="options"/> sets (non-zero).</summary>
    public GemmBlocking With(in GemmOptions options) => new(
        options.Kc > 0 ? options.Kc : Kc,
        options.Mc > 0 ? options.Mc : Mc,
        options.Nc > 0 ? options.Nc : Nc);

    /// <summary>
    /// The step that splits <paramref name="total"/> into the fewest blocks of at most <paramref name="max"/>
    /// (rounded up to a multiple of <paramref name="multiple"/>) with sizes as even as possible, e.g. K = 300 with
    /// Kc = 256 gives 150 + 150 rather than 256 + 44.
    /// </summary>
    public static int Balanced(int total, int max, int multiple)
    {
        max = Math.Max(multiple, max - (max % multiple));
        if (total <= max)
        {
            return RoundUp(Math.Max(total, 1), multiple);
        }

        int blocks = (total + max - 1) / max;
        return Math.Min(max, RoundUp((total + blocks - 1) / blocks, multiple));
    }

    /// <summary>The smallest multiple of <paramref name="multiple"/> that is at least <paramref name="value"/>.</summary>
    public static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;
}
