using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Recur.Kernels;

/// <summary>
/// Measures the machine's fused multiply-add peak: a register-only loop of independent vector FMAs (no memory
/// traffic) on the widest accelerated vector width, run on several threads at once. The result is the ceiling
/// that GEMM efficiency is quoted against: GFLOP/s = 2 * lanes * FMAs / seconds.
/// </summary>
public static class FmaPeak
{
    // 16 independent chains cover FMA latency (about 4 cycles) times throughput (2 per cycle) with room to spare.
    private const int Chains = 16;

    // FMAs per chain between clock checks: about a millisecond of work.
    private const long Batch = 200_000;

    /// <summary>Gets the vector width in bits of the loop: 512, 256 or 128.</summary>
    public static int VectorBits { get; } =
        Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : 128;

    /// <summary>
    /// Runs the FMA loop on <paramref name="threads"/> threads for about <paramref name="duration"/> and returns the
    /// combined rate in GFLOP/s (2 flops per FMA lane).
    /// </summary>
    /// <param name="threads">Threads running the loop concurrently, at least 1.</param>
    /// <param name="duration">How long each thread runs, at least a millisecond.</param>
    /// <returns>Total floating-point operations of all threads divided by the longest thread's time, in 1e9/s.</returns>
    public static double Measure(int threads, TimeSpan duration)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(duration, TimeSpan.FromMilliseconds(1));
        return RunThreads(threads, iterations: 0, duration);
    }

    /// <summary>
    /// Runs <paramref name="iterations"/> steps (each one FMA on each of 16 independent vector chains) on each of
    /// <paramref name="threads"/> threads and returns the combined rate in GFLOP/s.
    /// </summary>
    /// <param name="threads">Threads running the loop concurrently, at least 1.</param>
    /// <param name="iterations">Steps per thread, at least 1.</param>
    /// <returns>Total floating-point operations of all threads divided by the longest thread's time, in 1e9/s.</returns>
    public static double Measure(int threads, long iterations)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        return RunThreads(threads, iterations, TimeSpan.Zero);
    }

    private static double RunThreads(int threads, long iterations, TimeSpan duration)
    {
        var steps = new long[threads];
        var seconds = new double[threads];
        using var start = new ManualResetEventSlim(false);
        var workers = new Thread[threads];
        for (int t = 0; t < threads; t++)
        {
            int index = t;
            workers[t] = new Thread(() =>
            {
                start.Wait();
                (steps[index], seconds[index]) = RunOne(iterations, duration);
            })
            {
                IsBackground = true,
                Name = "FmaPeak",
            };
            workers[t].Start();
        }

        start.Set();
        foreach (Thread worker in workers)
        {
            worker.Join();
        }

        double flopsPerStep = 2.0 * Chains * (VectorBits / 32);
        return steps.Sum() * flopsPerStep / seconds.Max() / 1e9;
    }

    private static (long Steps, double Seconds) RunOne(long iterations, TimeSpan duration)
    {
        Loop(1000);
        long done = 0;
        var clock = Stopwatch.StartNew();
        float sink = 0;
        if (iterations > 0)
        {
            sink = Loop(iterations);
            done = iterations;
        }
        else
        {
            while (clock.Elapsed < duration)
            {
                sink += Loop(Batch);
                done += Batch;
            }
        }

        double seconds = clock.Elapsed.TotalSeconds;
        GC.KeepAlive(sink);
        return (done, seconds);
    }

    private static float Loop(long steps) => VectorBits switch
    {
        512 => Loop512(steps),
        256 => Loop256(steps),
        _ => Loop128(steps),
    };

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Loop512(long steps)
    {
        Vector512<float> x = Vector512.Create(0.999f), y = Vector512.Create(1e-3f);
        Vector512<float> a0 = Vector512.Create(0.1f), a1 = a0 + y, a2 = a1 + y, a3 = a2 + y, a4 = a3 + y, a5 = a4 + y;
        Vector512<float> a6 = a5 + y, a7 = a6 + y, a8 = a7 + y, a9 = a8 + y, a10 = a9 + y, a11 = a10 + y;
        Vector512<float> a12 = a11 + y, a13 = a12 + y, a14 = a13 + y, a15 = a14 + y;
        for (long i = 0; i < steps; i++)
        {
            a0 = Vector512.FusedMultiplyAdd(a0, x, y); a1 = Vector512.FusedMultiplyAdd(a1, x, y);
            a2 = Vector512.FusedMultiplyAdd(a2, x, y); a3 = Vector512.FusedMultiplyAdd(a3, x, y);
            a4 = Vector512.FusedMultiplyAdd(a4, x, y); a5 = Vector512.FusedMultiplyAdd(a5, x, y);
            a6 = Vector512.FusedMultiplyAdd(a6, x, y); a7 = Vector512.FusedMultiplyAdd(a7, x, y);
            a8 = Vector512.FusedMultiplyAdd(a8, x, y); a9 = Vector512.FusedMultiplyAdd(a9, x, y);
            a10 = Vector512.FusedMultiplyAdd(a10, x, y); a11 = Vector512.FusedMultiplyAdd(a11, x, y);
            a12 = Vector512.FusedMultiplyAdd(a12, x, y); a13 = Vector512.FusedMultiplyAdd(a13, x, y);
            a14 = Vector512.FusedMultiplyAdd(a14, x, y); a15 = Vector512.FusedMultiplyAdd(a15, x, y);
        }

        return Vector512.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11 + a12 + a13 + a14 + a15);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Loop256(long steps)
    {
        Vector256<float> x = Vector256.Create(0.999f), y = Vector256.Create(1e-3f);
        Vector256<float> a0 = Vector256.Create(0.1f), a1 = a0 + y, a2 = a1 + y, a3 = a2 + y, a4 = a3 + y, a5 = a4 + y;
        Vector256<float> a6 = a5 + y, a7 = a6 + y, a8 = a7 + y, a9 = a8 + y, a10 = a9 + y, a11 = a10 + y;
        Vector256<float> a12 = a11 + y, a13 = a12 + y, a14 = a13 + y, a15 = a14 + y;
        for (long i = 0; i < steps; i++)
        {
            a0 = Vector256.FusedMultiplyAdd(a0, x, y); a1 = Vector256.FusedMultiplyAdd(a1, x, y);
            a2 = Vector256.FusedMultiplyAdd(a2, x, y); a3 = Vector256.FusedMultiplyAdd(a3, x, y);
            a4 = Vector256.FusedMultiplyAdd(a4, x, y); a5 = Vector256.FusedMultiplyAdd(a5, x, y);
            a6 = Vector256.FusedMultiplyAdd(a6, x, y); a7 = Vector256.FusedMultiplyAdd(a7, x, y);
            a8 = Vector256.FusedMultiplyAdd(a8, x, y); a9 = Vector256.FusedMultiplyAdd(a9, x, y);
            a10 = Vector256.FusedMultiplyAdd(a10, x, y); a11 = Vector256.FusedMultiplyAdd(a11, x, y);
            a12 = Vector256.FusedMultiplyAdd(a12, x, y); a13 = Vector256.FusedMultiplyAdd(a13, x, y);
            a14 = Vector256.FusedMultiplyAdd(a14, x, y); a15 = Vector256.FusedMultiplyAdd(a15, x, y);
        }

        return Vector256.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11 + a12 + a13 + a14 + a15);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Loop128(long steps)
    {
        Vector128<float> x = Vector128.Create(0.999f), y = Vector128.Create(1e-3f);
        Vector128<float> a0 = Vector128.Create(0.1f), a1 = a0 + y, a2 = a1 + y, a3 = a2 + y, a4 = a3 + y, a5 = a4 + y;
        Vector128<float> a6 = a5 + y, a7 = a6 + y, a8 = a7 + y, a9 = a8 + y, a10 = a9 + y, a11 = a10 + y;
        Vector128<float> a12 = a11 + y, a13 = a12 + y, a14 = a13 + y, a15 = a14 + y;
        for (long i = 0; i < steps; i++)
        {
            a0 = Vector128.MultiplyAddEstimate(a0, x, y); a1 = Vector128.MultiplyAddEstimate(a1, x, y);
            a2 = Vector128.MultiplyAddEstimate(a2, x, y); a3 = Vector128.MultiplyAddEstimate(a3, x, y);
            a4 = Vector128.MultiplyAddEstimate(a4, x, y); a5 = Vector128.MultiplyAddEstimate(a5, x, y);
            a6 = Vector128.MultiplyAddEstimate(a6, x, y); a7 = Vector128.MultiplyAddEstimate(a7, x, y);
            a8 = Vector128.MultiplyAddEstimate(a8, x, y); a9 = Vector128.MultiplyAddEstimate(a9, x, y);
            a10 = Vector128.MultiplyAddEstimate(a10, x, y); a11 = Vector128.MultiplyAddEstimate(a11, x, y);
            a12 = Vector128.MultiplyAddEstimate(a12, x, y); a13 = Vector128.MultiplyAddEstimate(a13, x, y);
            a14 = Vector128.MultiplyAddEstimate(a14, x, y); a15 = Vector128.MultiplyAddEstimate(a15, x, y);
        }

        return Vector128.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11 + a12 + a13 + a14 + a15);
    }
}
