// M rows of op(A) and C, N columns of op(B) and C, K inner dimension
using System.Diagnostics;
using System.Runtime.InteropServices;
using Recur.Kernels;

namespace Recur.Benchmarks;

/// <summary>
/// The plain GEMM report: FMA peak on 1 and 2 threads, then GEMM GFLOP/s for square and RNN-shaped problems on
/// 1 and 2 threads (median of several timed repetitions after warm-up), as a Markdown table.
/// </summary>
internal static class GemmReport
{
    private static readonly Shape[] Shapes =
    [
        new("square 128", false, false, 128, 128, 128),
        new("square 256", false, false, 256, 256, 256),
        new("square 512", false, false, 512, 512, 512),
        new("square 1024", false, false, 1024, 1024, 1024),
        new("square 1024, A*B^T", false, true, 1024, 1024, 1024),
        new("square 1024, A^T*B", true, false, 1024, 1024, 1024),
        new("square 2048", false, false, 2048, 2048, 2048),
        new("[64x512]x[512x2048]", false, false, 64, 2048, 512),
        new("h*W_hh^T [64x512]x[2048x512]^T", false, true, 64, 2048, 512),
        new("[6400x128]x[128x2048]", false, false, 6400, 2048, 128),
        new("x*W_ih^T [6400x128]x[2048x128]^T", false, true, 6400, 2048, 128),
        new("[64x256]x[256x1024]", false, false, 64, 1024, 256),
        new("h*W_hh^T [64x256]x[1024x256]^T", false, true, 64, 1024, 256),
        new("dW_ih dG^T*X [6400x2048]^T[6400x128]", true, false, 2048, 128, 6400),
        new("dW_hh dG^T*H [6400x2048]^T[6400x512]", true, false, 2048, 512, 6400),
        new("dX dG*W_ih [6400x2048]x[2048x128]", false, false, 6400, 128, 2048),
    ];

    public static int Run(string[] args)
    {
        bool quick = args.Contains("--quick");
        int repetitions = quick ? 3 : 7;
        double secondsPerRepetition = quick ? 0.1 : 0.25;
        string filter = args.SkipWhile(a => a != "--filter").Skip(1).FirstOrDefault() ?? string.Empty;

        Console.WriteLine($"# Recur GEMM report ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC)");
        Console.WriteLine();
        Console.WriteLine($"- CPU: {CpuModel()}, {Environment.ProcessorCount} logical processors, {RuntimeInformation.OSDescription}");
        Console.WriteLine($"- .NET {Environment.Version}, GEMM kernel {GemmOptions.DefaultKernel}, FMA loop {FmaPeak.VectorBits}-bit");
        Console.WriteLine($"- load average before: {LoadAverage()}");
        Console.WriteLine($"- median of {repetitions} repetitions of about {secondsPerRepetition:0.##} s each, after warm-up");

        // A peak is a ceiling: the best of the repetitions, measured before and again after the table.
        double peak1 = Best(repetitions, () => FmaPeak.Measure(1, TimeSpan.FromSeconds(secondsPerRepetition)));
        double peak2 = Best(repetitions, () => FmaPeak.Measure(2, TimeSpan.FromSeconds(secondsPerRepetition)));
        Console.WriteLine($"- FMA peak (best of {repetitions}) before the table: 1 thread {peak1:0.0} GFLOP/s, 2 threads {peak2:0.0} GFLOP/s");
        var rows = new List<(Shape Shape, double One, double Two)>();

        int saved = KernelThreading.MaxThreads;
        try
        {
            foreach (Shape shape in Shapes.Where(s => s.Name.Contains(filter, StringComparison.OrdinalIgnoreCase)))
            {
                (double one, double two) = Measure(shape, repetitions, secondsPerRepetition);
                rows.Add((shape, one, two));
            }
        }
        finally
        {
            KernelThreading.MaxThreads = saved;
        }

        double after1 = Best(repetitions, () => FmaPeak.Measure(1, TimeSpan.FromSeconds(secondsPerRepetition)));
        double after2 = Best(repetitions, () => FmaPeak.Measure(2, TimeSpan.FromSeconds(secondsPerRepetition)));
        Console.WriteLine($"- FMA peak (best of {repetitions}) after the table: 1 thread {after1:0.0} GFLOP/s, 2 threads {after2:0.0} GFLOP/s");
        peak1 = Math.Max(peak1, after1);
        peak2 = Math.Max(peak2, after2);
        Console.WriteLine($"- percentages below are of the higher peaks: {peak1:0.0} (1 thread) and {peak2:0.0} (2 threads) GFLOP/s");
        Console.WriteLine();
        Console.WriteLine("| shape (op(A) x op(B)) | M | N | K | 1 thread GFLOP/s | % 1T peak | 2 threads GFLOP/s | % 2T peak | 2T / 1T |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach ((Shape shape, double one, double two) in rows)
        {
            Console.WriteLine(
                $"| {shape.Name} | {shape.M} | {shape.N} | {shape.K} | {one:0.0} | {100 * one / peak1:0}% | " +
                $"{two:0.0} | {100 * two / peak2:0}% | {two / one:0.00} |");
        }

        Console.WriteLine();
        Console.WriteLine($"- load average after: {LoadAverage()}");
        return 0;
    }

    // Median GFLOP/s on 1 and on 2 threads; the repetitions alternate between the two so that a burst of
    // outside load hits both alike.
    private static (double One, double Two) Measure(Shape shape, int repetitions, double secondsPerRepetition)
    {
        var random = new Random(1);
        float[] a = Fill(random, shape.M * shape.K);
        float[] b = Fill(random, shape.K * shape.N);
        float[] c = new float[shape.M * shape.N];
        void Call() => Gemm.Multiply(shape.TransA, shape.TransB, shape.M, shape.N, shape.K, 1f, a, b, 0f, c);

        // Warm up (JIT tiers, packing buffers, thread pool) and size a repetition on each thread count.
        var calls = new int[3];
        foreach (int threads in new[] { 1, 2 })
        {
            KernelThreading.MaxThreads = threads;
            var clock = Stopwatch.StartNew();
            int count = 0;
            while (count < 3 || clock.Elapsed.TotalSeconds < 0.2)
            {
                Call();
                count++;
            }

            calls[threads] = Math.Max(1, (int)(count * secondsPerRepetition / clock.Elapsed.TotalSeconds));
        }

        var rates = new List<double>[] { [], [], [] };
        for (int r = 0; r < repetitions; r++)
        {
            foreach (int threads in new[] { 1, 2 })
            {
                KernelThreading.MaxThreads = threads;
                long start = Stopwatch.GetTimestamp();
                for (int i = 0; i < calls[threads]; i++)
                {
                    Call();
                }

                double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
                rates[threads].Add(2.0 * shape.M * shape.N * shape.K * calls[threads] / seconds / 1e9);
            }
        }

        return (Median(rates[1]), Median(rates[2]));
    }

    private static double Median(IEnumerable<double> samples)
    {
        double[] values = samples.Order().ToArray();
        return values[values.Length / 2];
    }

    private static double Best(int count, Func<double> sample) => Enumerable.Range(0, count).Max(_ => sample());

    private static float[] Fill(Random random, int length)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = (float)(random.NextDouble() - 0.5);
        }

        return values;
    }

    private static string CpuModel()
    {
        const string path = "/proc/cpuinfo";
        string? line = File.Exists(path) ? File.ReadLines(path).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal)) : null;
        return line is null ? RuntimeInformation.ProcessArchitecture.ToString() : line[(line.IndexOf(':') + 1)..].Trim();
    }

    private static string LoadAverage()
    {
        const string path = "/proc/loadavg";
        return File.Exists(path) ? File.ReadAllText(path).Trim() : "n/a";
    }

    private sealed record Shape(string Name, bool TransA, bool TransB, int M, int N, int K);
}
