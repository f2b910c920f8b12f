// Times the ONNX models exported by bench/torch_bench.py --export with ONNX Runtime (OrtValue API, preallocated
// inputs and outputs), as `recur bench` times its entries: warm-up, then the median of timed samples within a
// budget. Best of 1 and 2 intra-op threads. Streaming models feed each step's h_n (and c_n) back as the next state.
//   dotnet run -c Release --project bench/Recur.OnnxBench -- MODEL_FOLDER OUTPUT.json [BUDGET_SECONDS]
using System.Diagnostics;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;

if (args.Length < 2)
{
    Console.Error.WriteLine("usage: Recur.OnnxBench MODEL_FOLDER OUTPUT.json [BUDGET_SECONDS]");
    return 2;
}
double budget = args.Length > 2 ? double.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 2.0;
var results = new List<Dictionary<string, object>>();
foreach (var model in Directory.GetFiles(args[0], "*.onnx").OrderBy(f => f))
{
    string name = Path.GetFileNameWithoutExtension(model);
    Dictionary<string, object>? best = null;
    foreach (int threads in new[] { 1, 2 })
    {
        var r = OrtTiming.Measure(model, threads, budget);
        double gflops = Flops(name) / ((double)r.MedianMs * 1e6);
        Console.WriteLine($"onnxruntime {threads}T {name,-36} {r.MedianMs,12:0.0000} ms {gflops,8:0.0} GFLOP/s alloc {r.AllocatedBytes} B ({r.Samples} samples)");
        if (best is null || r.MedianMs < (double)best["median_ms"])
            best = new() { ["name"] = name, ["median_ms"] = r.MedianMs, ["gflops"] = gflops, ["allocated_bytes"] = r.AllocatedBytes, ["threads"] = threads };
    }
    results.Add(best!);
}
string tmp = args[1] + ".tmp";
File.WriteAllText(tmp, JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true }));
File.Move(tmp, args[1], overwrite: true);
return 0;

// Standard count from the name kind_mode_b{B}[_t{T}]_i{I}_h{H}: 2 * T * B * G * (I + H).
static double Flops(string name)
{
    var parts = name.Split('_');
    int Get(char c, int fallback) => parts.Where(p => p.Length > 1 && p[0] == c && char.IsDigit(p[1])).Select(p => int.Parse(p[1..])).DefaultIfEmpty(fallback).First();
    int g = name.StartsWith("lstm", StringComparison.Ordinal) ? 4 : 3;
    int b = Get('b', 1), t = Get('t', 1), i = Get('i', 1), h = Get('h', 1);
    return 2.0 * t * b * g * h * (i + h);
}

/// <summary>One model on one thread count.</summary>
internal static class OrtTiming
{
    public static (double MedianMs, long AllocatedBytes, int Samples) Measure(string model, int threads, double budget)
    {
        using var options = new SessionOptions
        {
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        using var session = new InferenceSession(model, options);
        using var runOptions = new RunOptions();
        var rng = new Random(2);
        var inputNames = session.InputMetadata.Keys.ToArray();
        var outputNames = session.OutputMetadata.Keys.ToArray();
        // Two sets of buffers: a streaming step reads its state from one set and writes the next state to the other.
        var sets = new OrtValue[2][][];
        for (int s = 0; s < 2; s++)
        {
            var inputs = inputNames.Select(n => Create(session.InputMetadata[n].Dimensions, n == "x" ? rng : null)).ToArray();
            var outputs = outputNames.Select(n => Create(session.OutputMetadata[n].Dimensions, null)).ToArray();
            sets[s] = [inputs, outputs];
        }
        // The state outputs h_n (c_n) of set s are the state inputs h0 (c0) of set 1 - s.
        for (int s = 0; s < 2; s++)
        {
            for (int j = 0; j < inputNames.Length; j++)
            {
                int o = Array.IndexOf(outputNames, inputNames[j] switch { "h0" => "h_n", "c0" => "c_n", _ => "" });
                if (o >= 0) sets[1 - s][0][j] = sets[s][1][o];
            }
        }
        int step = 0;
        void Run()
        {
            var set = sets[step++ & 1];
            session.Run(runOptions, inputNames, set[0], outputNames, set[1]);
        }

        var clock = Stopwatch.StartNew();
        int calls = 0;
        while (calls < 2 || clock.Elapsed.TotalSeconds < budget / 10) { Run(); calls++; }
        double perCallMs = clock.Elapsed.TotalMilliseconds / calls;
        int group = (int)Math.Clamp(1.0 / Math.Max(perCallMs, 1e-6), 1, 100_000);
        long before = GC.GetTotalAllocatedBytes(true);
        for (int i = 0; i < group; i++) Run();
        long allocated = (GC.GetTotalAllocatedBytes(true) - before) / group;
        var samples = new List<double>();
        clock.Restart();
        while (samples.Count < 5 || (clock.Elapsed.TotalSeconds < budget && samples.Count < 2000))
        {
            long t0 = Stopwatch.GetTimestamp();
            for (int i = 0; i < group; i++) Run();
            samples.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds / group);
        }
        samples.Sort();
        return (samples[samples.Count / 2], allocated, samples.Count);
    }

    private static OrtValue Create(int[] dims, Random? fill)
    {
        var shape = dims.Select(d => (long)Math.Max(d, 1)).ToArray();
        var data = new float[shape.Aggregate(1L, (a, b) => a * b)];
        if (fill is not null) for (int i = 0; i < data.Length; i++) data[i] = (float)((fill.NextDouble() * 2) - 1);
        return OrtValue.CreateTensorValueFromMemory(data, shape);
    }
}
