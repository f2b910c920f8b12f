using System.Diagnostics;

namespace Recur.Cli.Bench;

/// <summary>
/// Times one entry: warm-up (at least two calls and a tenth of the budget, so the JIT has tiered up and buffers are
/// grown), then timed samples until the budget is spent (at least <see cref="MinSamples"/>). Calls shorter than a
/// millisecond are grouped so that each sample lasts about a millisecond; a sample's time is divided by its calls.
/// </summary>
public static class BenchRunner
{
    /// <summary>Fewest timed samples per entry, whatever the budget.</summary>
    public const int MinSamples = 5;

    private const int MaxSamples = 2000;

    /// <summary>Measures <paramref name="entry"/> within about <paramref name="budget"/> of timed samples.</summary>
    public static BenchResult Measure(BenchEntry entry, TimeSpan budget)
    {
        var action = entry.Setup();
        var clock = Stopwatch.StartNew();
        int warmCalls = 0;
        while (warmCalls < 2 || clock.Elapsed < budget / 10)
        {
            action();
            warmCalls++;
        }
        double perCallMs = clock.Elapsed.TotalMilliseconds / warmCalls;
        int group = (int)Math.Clamp(1.0 / Math.Max(perCallMs, 1e-6), 1, 100_000);

        long allocated = Allocated(action, group);
        var samples = new List<double>();
        clock.Restart();
        while (samples.Count < MinSamples || (clock.Elapsed < budget && samples.Count < MaxSamples))
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < group; i++) action();
            samples.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds / group);
        }
        samples.Sort();
        int n = samples.Count;
        double median = n % 2 == 1 ? samples[n / 2] : (samples[(n / 2) - 1] + samples[n / 2]) / 2;
        double gflops = entry.Flops > 0 ? entry.Flops / (median * 1e6) : 0;
        return new BenchResult(entry.Name, median, gflops, allocated, n);
    }

    /// <summary>Managed bytes allocated per call (all threads), over one group of calls.</summary>
    private static long Allocated(Action action, int group)
    {
        long before = GC.GetTotalAllocatedBytes(precise: true);
        for (int i = 0; i < group; i++) action();
        return (GC.GetTotalAllocatedBytes(precise: true) - before) / group;
    }
}
