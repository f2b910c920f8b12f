// M rows of op(A) and C, N columns of op(B) and C, K inner dimension
using BenchmarkDotNet.Attributes;
using Recur.Kernels;

namespace Recur.Benchmarks;

/// <summary>GEMM at square and RNN shapes on 1 and 2 threads (BenchmarkDotNet: --filter *GemmBenchmarks*).</summary>
[MemoryDiagnoser]
public class GemmBenchmarks
{
    private float[] _a = [];
    private float[] _b = [];
    private float[] _c = [];

    /// <summary>Gets or sets the shape: "M,N,K" then the transposes as "NN", "NT" or "TN".</summary>
    [Params("128,128,128,NN", "512,512,512,NN", "1024,1024,1024,NN", "1024,1024,1024,NT", "64,2048,512,NT", "6400,2048,128,NT", "2048,512,6400,TN", "1,1024,256,NT", "8,1024,256,NN")]
    public string Shape { get; set; } = "128,128,128,NN";

    /// <summary>Gets or sets the thread limit.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    private int M => int.Parse(Shape.Split(',')[0]);

    private int N => int.Parse(Shape.Split(',')[1]);

    private int K => int.Parse(Shape.Split(',')[2]);

    private bool TransA => Shape.Split(',')[3][0] == 'T';

    private bool TransB => Shape.Split(',')[3][1] == 'T';

    /// <summary>Allocates seeded operands.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        _a = Enumerable.Range(0, M * K).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        _b = Enumerable.Range(0, K * N).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        _c = new float[M * N];
        KernelThreading.MaxThreads = Threads;
    }

    /// <summary>Restores the default thread limit.</summary>
    [GlobalCleanup]
    public void Cleanup() => KernelThreading.MaxThreads = Environment.ProcessorCount;

    /// <summary>C = op(A) op(B).</summary>
    [Benchmark]
    public void Multiply() => Gemm.Multiply(TransA, TransB, M, N, K, 1f, _a, _b, 0f, _c);
}
