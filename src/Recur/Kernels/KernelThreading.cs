namespace Recur.Kernels;

/// <summary>
/// The one place that decides how kernels use threads. Work is split only over independent outputs (rows or
/// columns of C), never over a reduction, so results are bitwise identical for every thread count.
/// </summary>
public static class KernelThreading
{
    // Below this many flops per part, the fork/join cost (a few microseconds) outweighs the gain.
    private const long MinFlopsPerPart = 4_000_000;

    private static int _maxThreads = Environment.ProcessorCount;

    /// <summary>
    /// Gets or sets the most threads one kernel call may use (default <see cref="Environment.ProcessorCount"/>;
    /// values below 1 are stored as 1). 1 runs everything on the calling thread.
    /// </summary>
    public static int MaxThreads
    {
        get => Volatile.Read(ref _maxThreads);
        set => Volatile.Write(ref _maxThreads, Math.Max(1, value));
    }

    /// <summary>
    /// How many parts a job of <paramref name="flops"/> floating-point operations should be split into, given at
    /// most <paramref name="maxParts"/> useful parts: up to <see cref="MaxThreads"/>, and only as many as keep each
    /// part worth a fork. A positive <paramref name="forcedThreads"/> (tests, benchmarks) skips the work rule.
    /// </summary>
    internal static int PartsFor(long flops, int maxParts, int forcedThreads = 0)
    {
        long parts = forcedThreads > 0 ? forcedThreads : Math.Min(MaxThreads, Math.Max(1, flops / MinFlopsPerPart));
        return (int)Math.Max(1, Math.Min(parts, maxParts));
    }

    /// <summary>
    /// Runs <paramref name="body"/>(state, part) for part = 0..parts-1: on the calling thread when parts is 1,
    /// else concurrently on the calling thread and thread-pool threads (each part exactly once).
    /// </summary>
    internal static void For<TState>(int parts, TState state, Action<TState, int> body)
    {
        if (parts <= 1)
        {
            body(state, 0);
            return;
        }

        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, part => body(state, part));
    }
}
