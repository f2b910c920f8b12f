namespace Recur.Cli.Bench;

/// <summary>
/// One named measurement of <c>recur bench</c>. <see cref="Setup"/> builds the data and returns the timed operation;
/// <see cref="Flops"/> is the floating-point work of one call (0 when a rate makes no sense).
/// </summary>
/// <param name="Name">Stable name, used by <c>--only</c> and in the JSON report.</param>
/// <param name="Flops">Floating-point operations of one call of the timed operation.</param>
/// <param name="Setup">Builds the inputs and returns the operation to time.</param>
public sealed record BenchEntry(string Name, double Flops, Func<Action> Setup);

/// <summary>The measured result of one <see cref="BenchEntry"/>.</summary>
/// <param name="Name">The entry's name.</param>
/// <param name="MedianMs">Median time of one call, in milliseconds.</param>
/// <param name="Gflops">Flops / median time, in 1e9 per second (0 when the entry has no flop count).</param>
/// <param name="AllocatedBytes">Managed bytes allocated by one call once warmed up (all threads).</param>
/// <param name="Repetitions">How many timed samples the median is taken over.</param>
public sealed record BenchResult(string Name, double MedianMs, double Gflops, long AllocatedBytes, int Repetitions);
