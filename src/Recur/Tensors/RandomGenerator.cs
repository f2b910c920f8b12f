namespace Recur;

/// <summary>
/// A seeded pseudo-random generator (xoshiro256**, seeded through SplitMix64). Never seeded from the clock:
/// the same seed always gives the same sequence, and <see cref="GetState"/> / <see cref="SetState"/> let a
/// checkpoint resume the exact sequence.
/// </summary>
public sealed class RandomGenerator
{
    private ulong _s0, _s1, _s2, _s3;
    private bool _hasSpareNormal;
    private double _spareNormal;

    [ThreadStatic] private static RandomGenerator? t_default;

    /// <summary>
    /// The current thread's default generator, used where no generator is passed (for example module
    /// initialization). It starts from the fixed seed 0, never from the clock; <see cref="SetDefaultSeed"/> reseeds it.
    /// </summary>
    public static RandomGenerator Default => t_default ??= new RandomGenerator(0);

    /// <summary>Reseeds the current thread's <see cref="Default"/> generator.</summary>
    public static void SetDefaultSeed(ulong seed) => t_default = new RandomGenerator(seed);

    /// <summary>Creates a generator from a 64-bit seed.</summary>
    public RandomGenerator(ulong seed)
    {
        ulong x = seed;
        _s0 = SplitMix64(ref x);
        _s1 = SplitMix64(ref x);
        _s2 = SplitMix64(ref x);
        _s3 = SplitMix64(ref x);
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64() => Step(ref _s0, ref _s1, ref _s2, ref _s3);

    // One xoshiro256** step over the given state (fields, or locals a loop keeps in registers).
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static ulong Step(ref ulong s0, ref ulong s1, ref ulong s2, ref ulong s3)
    {
        ulong result = RotateLeft(s1 * 5, 7) * 9;
        ulong t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = RotateLeft(s3, 45);
        return result;
    }

    /// <summary>A uniform float in [0, 1) with 24 random bits.</summary>
    public float NextSingle() => (NextUInt64() >> 40) * (1.0f / (1 << 24));

    /// <summary>A uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A uniform integer in [0, <paramref name="maxExclusive"/>) without modulo bias.</summary>
    public int NextInt(int maxExclusive)
    {
        if (maxExclusive <= 0) throw new ArgumentOutOfRangeException(nameof(maxExclusive), $"Expected a positive bound but got {maxExclusive}.");
        ulong bound = (ulong)maxExclusive;
        ulong threshold = (0UL - bound) % bound;
        while (true)
        {
            ulong r = NextUInt64();
            UInt128 m = (UInt128)r * bound;
            if ((ulong)m >= threshold) return (int)(m >> 64);
        }
    }

    /// <summary>A standard normal sample (Box-Muller, the second value of each pair is kept for the next call).</summary>
    public double NextNormal()
    {
        if (_hasSpareNormal)
        {
            _hasSpareNormal = false;
            return _spareNormal;
        }
        double u1 = 1.0 - NextDouble(); // (0, 1]
        double u2 = NextDouble();
        double r = Math.Sqrt(-2.0 * Math.Log(u1));
        double a = 2.0 * Math.PI * u2;
        _spareNormal = r * Math.Sin(a);
        _hasSpareNormal = true;
        return r * Math.Cos(a);
    }

    /// <summary>Fills <paramref name="destination"/> with uniform values in [low, high).</summary>
    public void FillUniform(Span<float> destination, float low, float high)
    {
        if (!(low <= high)) throw new ArgumentException($"Expected low <= high but got low={low}, high={high}.");
        float range = high - low;
        for (int i = 0; i < destination.Length; i++) destination[i] = low + range * NextSingle();
    }

    /// <summary>Fills <paramref name="destination"/> with normal values of the given mean and standard deviation.</summary>
    public void FillNormal(Span<float> destination, float mean, float std)
    {
        if (!(std >= 0)) throw new ArgumentException($"Expected a non-negative standard deviation but got {std}.");
        for (int i = 0; i < destination.Length; i++) destination[i] = (float)(mean + std * NextNormal());
    }

    /// <summary>
    /// An inverted-dropout mask: destination[i] = <paramref name="keepValue"/> when NextDouble() &gt;= <paramref name="dropProbability"/>,
    /// else 0, drawing exactly the numbers a loop over <see cref="NextDouble"/> would (so masks do not change), with the
    /// generator's state in registers and no branch on the random outcome.
    /// </summary>
    public void FillKeepMask(Span<float> destination, double dropProbability, float keepValue)
    {
        if (!(dropProbability >= 0 && dropProbability <= 1)) throw new ArgumentException($"Expected a probability in [0, 1] but got {dropProbability}.");
        // NextDouble() = (r >> 11) * 2^-53 exactly, so NextDouble() >= p is (r >> 11) >= ceil(p * 2^53).
        ulong threshold = (ulong)Math.Ceiling(dropProbability * (1UL << 53));
        ulong s0 = _s0, s1 = _s1, s2 = _s2, s3 = _s3;
        for (int i = 0; i < destination.Length; i++)
            destination[i] = (Step(ref s0, ref s1, ref s2, ref s3) >> 11) >= threshold ? keepValue : 0f;
        (_s0, _s1, _s2, _s3) = (s0, s1, s2, s3);
    }

    /// <summary>Fills <paramref name="destination"/> with 1 (probability <paramref name="p"/>) or 0.</summary>
    public void FillBernoulli(Span<float> destination, double p)
    {
        if (!(p >= 0 && p <= 1)) throw new ArgumentException($"Expected a probability in [0, 1] but got {p}.");
        for (int i = 0; i < destination.Length; i++) destination[i] = NextDouble() < p ? 1f : 0f;
    }

    /// <summary>A tensor of uniform values in [low, high).</summary>
    public Tensor Uniform(float low, float high, params int[] shape)
    {
        var t = new Tensor(shape);
        FillUniform(t.Span, low, high);
        return t;
    }

    /// <summary>A tensor of normal values.</summary>
    public Tensor Normal(float mean, float std, params int[] shape)
    {
        var t = new Tensor(shape);
        FillNormal(t.Span, mean, std);
        return t;
    }

    /// <summary>A tensor of Bernoulli(p) values (1 or 0).</summary>
    public Tensor Bernoulli(double p, params int[] shape)
    {
        var t = new Tensor(shape);
        FillBernoulli(t.Span, p);
        return t;
    }

    /// <summary>Shuffles <paramref name="items"/> in place (Fisher-Yates).</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>The full generator state, for checkpoints.</summary>
    public RandomState GetState() => new(_s0, _s1, _s2, _s3, _hasSpareNormal, _spareNormal);

    /// <summary>Restores a state captured by <see cref="GetState"/>.</summary>
    public void SetState(RandomState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if ((state.S0 | state.S1 | state.S2 | state.S3) == 0)
            throw new ArgumentException("A generator state of all zeros is invalid for xoshiro256**.", nameof(state));
        (_s0, _s1, _s2, _s3) = (state.S0, state.S1, state.S2, state.S3);
        _hasSpareNormal = state.HasSpareNormal;
        _spareNormal = state.SpareNormal;
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));

    private static ulong SplitMix64(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

/// <summary>A snapshot of a <see cref="RandomGenerator"/>.</summary>
public sealed record RandomState(ulong S0, ulong S1, ulong S2, ulong S3, bool HasSpareNormal, double SpareNormal);
