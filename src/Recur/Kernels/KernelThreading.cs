using System.Runtime.ExceptionServices;

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

    [ThreadStatic]
    private static int t_limit; // 0: no limit on this thread

    /// <summary>
    /// Gets or sets the most threads one kernel call may use (default <see cref="Environment.ProcessorCount"/>;
    /// values below 1 are stored as 1). 1 runs everything on the calling thread. Inside a <see cref="Limit"/> scope the
    /// getter gives that scope's limit when it is lower.
    /// </summary>
    public static int MaxThreads
    {
        get => t_limit > 0 ? Math.Min(t_limit, Volatile.Read(ref _maxThreads)) : Volatile.Read(ref _maxThreads);
        set => Volatile.Write(ref _maxThreads, Math.Max(1, value));
    }

    /// <summary>
    /// Limits the kernels called on this thread to <paramref name="threads"/> threads until the scope ends: for work
    /// that is already split into parts running side by side (the two directions of a bidirectional layer), whose
    /// kernels must not split again.
    /// </summary>
    internal static LimitScope Limit(int threads)
    {
        int previous = t_limit;
        t_limit = Math.Max(1, threads);
        return new LimitScope(previous);
    }

    /// <summary>Restores the thread's previous limit.</summary>
    internal readonly struct LimitScope(int previous) : IDisposable
    {
        public void Dispose() => t_limit = previous;
    }

    /// <summary>
    /// How many threads a job of <paramref name="flops"/> floating-point operations should use: up to
    /// <see cref="MaxThreads"/>, and only as many as keep each thread's share worth a fork. A positive
    /// <paramref name="forcedThreads"/> (tests, benchmarks) skips the work rule.
    /// </summary>
    internal static int ThreadsFor(long flops, int forcedThreads = 0) =>
        forcedThreads > 0 ? forcedThreads : (int)Math.Min(MaxThreads, Math.Max(1, flops / MinFlopsPerPart));

    /// <summary>Parts to split an elementwise pass over <paramref name="length"/> elements into: at most the kernel threads, each at least <paramref name="minPerPart"/> long.</summary>
    internal static int PartsFor(int length, int minPerPart) => Math.Min(MaxThreads, Math.Max(1, length / minPerPart));

    /// <summary>The range of part <paramref name="part"/> of <paramref name="parts"/> over <paramref name="length"/> elements, starting at multiples of 16 (whole vectors); the last parts may be short or empty.</summary>
    internal static (int Start, int Length) Chunk(int length, int parts, int part)
    {
        int chunk = ((length / parts) + 15) & ~15, start = part * chunk;
        return (start, Math.Max(0, Math.Min(length, start + chunk) - start));
    }

    /// <summary>
    /// Runs <paramref name="body"/>(state, item) once for each item = 0..count-1: on the calling thread when
    /// <paramref name="threads"/> or count is 1; two items on the calling thread and the shared helper thread when it
    /// is free; else on the calling thread and up to threads - 1 thread-pool threads, which take items dynamically (a
    /// delayed thread leaves its share to the others).
    /// </summary>
    internal static void For<TState>(int count, int threads, TState state, Action<TState, int> body)
    {
        if (threads <= 1 || count <= 1)
        {
            for (int item = 0; item < count; item++)
            {
                body(state, item);
            }

            return;
        }

        if (count == 2 && HelperThread.IsUseful && PairJob<TState>.TryRun(state, body))
        {
            return;
        }

        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = threads }, item => body(state, item));
    }

    /// <summary>
    /// Two items, one on the calling thread and one on the shared <see cref="HelperThread"/>, which spins between
    /// jobs: handing over costs well under a microsecond against several for a thread-pool fork, which matters for
    /// the per-step work of a recurrent layer (two forks per step, hundreds of steps). One reusable job per calling
    /// thread and state type, so nothing is allocated.
    /// </summary>
    private sealed class PairJob<TState> : IHelperJob
    {
        [ThreadStatic]
        private static PairJob<TState>? _perThread;

        private TState _state = default!;
        private Action<TState, int> _body = null!;
        private Exception? _error; // item 1's exception, rethrown on the calling thread

        public static bool TryRun(TState state, Action<TState, int> body)
        {
            var job = _perThread ??= new PairJob<TState>();
            (job._state, job._body) = (state, body);
            var helper = HelperThread.Shared;
            if (!helper.TryPost(job))
            {
                job.Clear();
                return false; // the helper is busy (another caller, or this is the helper itself): fall back
            }

            try
            {
                body(state, 0);
            }
            finally
            {
                helper.Complete(job); // runs item 1 here if the helper has not started it
                var error = job._error;
                job.Clear();
                if (error is not null) ExceptionDispatchInfo.Throw(error);
            }

            return true;
        }

        public void Run()
        {
            try
            {
                _body(_state, 1);
            }
            catch (Exception e)
            {
                _error = e;
            }
        }

        private void Clear() => (_state, _body, _error) = (default!, null!, null);
    }
}
