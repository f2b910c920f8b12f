// B batch, G gates, Hout = P with a projection, else H
using System.Buffers;
using Recur.Kernels;

namespace Recur.NN;

/// <summary>
/// A weight matrix multiplied once per time step, packed once per scan (<see cref="Gemm.PackB"/>) into a pooled
/// buffer, so the per-step GEMM packs nothing. Batches small enough for the GEMM's unpacked small-row paths use
/// the plain weights instead. Dispose gives the buffer back.
/// </summary>
internal ref struct PackedWeights
{
    // Above this many rows the blocked path (which packed B feeds) is the one Gemm.Multiply takes too.
    private const int MinRows = 13;

    private readonly ReadOnlySpan<float> _weights; // stored B
    private readonly bool _transB;
    private readonly int _n, _k, _ldb;
    private float[]? _packed;                      // [ceil(n / Nr), k, Nr]

    private PackedWeights(ReadOnlySpan<float> weights, bool transB, int n, int k, int ldb, float[]? packed)
    {
        _weights = weights;
        (_transB, _n, _k, _ldb, _packed) = (transB, n, k, ldb, packed);
    }

    /// <summary>op(B) [k, n] of the stored <paramref name="weights"/>, packed when some step has more than 12 rows.</summary>
    public static PackedWeights Pack(int maxRows, bool transB, int n, int k, ReadOnlySpan<float> weights, int ldb)
    {
        float[]? packed = null;
        if (maxRows >= MinRows)
        {
            packed = ArrayPool<float>.Shared.Rent(Gemm.PackedBLength(n, k));
            Gemm.PackB(transB, n, k, weights, ldb, packed);
        }
        return new PackedWeights(weights, transB, n, k, ldb, packed);
    }

    /// <summary>The packed op(B), or null when the batches are too small to pack.</summary>
    public readonly float[]? Packed => _packed;

    /// <summary>Whether a step of <paramref name="m"/> rows uses the packed weights.</summary>
    public static bool UsesPacked(int m) => m >= MinRows;

    /// <summary>c [m, n] = a [m, k] op(B) + beta * c.</summary>
    public readonly void Multiply(int m, ReadOnlySpan<float> a, float beta, Span<float> c)
    {
        if (_packed is not null && m >= MinRows) Gemm.MultiplyPacked(m, _n, _k, 1f, a, _k, _packed, beta, c, _n);
        else Gemm.Multiply(false, _transB, m, _n, _k, 1f, a, _k, _weights, _ldb, beta, c, _n);
    }

    /// <summary>Gives the packed buffer back to the pool.</summary>
    public void Dispose()
    {
        if (_packed is not null) ArrayPool<float>.Shared.Return(_packed);
        _packed = null;
    }
}
