using BenchmarkDotNet.Attributes;
using System.Numerics.Tensors;
using Recur.Kernels;

namespace Recur.Benchmarks;

/// <summary>Pointwise and row kernels on one RNN-sized buffer (BenchmarkDotNet: --filter *PointwiseBenchmarks*).</summary>
[MemoryDiagnoser]
public class PointwiseBenchmarks
{
    private float[] _x = [];
    private float[] _y = [];
    private float[] _dy = [];
    private float[] _dx = [];

    /// <summary>Gets or sets the element count (rows of 512 for the row kernels).</summary>
    [Params(4096, 262144)]
    public int Length { get; set; }

    /// <summary>Allocates seeded inputs.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(2);
        _x = Enumerable.Range(0, Length).Select(_ => (float)((random.NextDouble() * 8) - 4)).ToArray();
        _y = new float[Length];
        _dy = Enumerable.Range(0, Length).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        _dx = new float[Length];
        Pointwise.Sigmoid(_x, _y);
    }

    /// <summary>Sigmoid (TensorPrimitives).</summary>
    [Benchmark]
    public void Sigmoid() => Pointwise.Sigmoid(_x, _y);

    /// <summary>Tanh evaluated in double (Recur's own op).</summary>
    [Benchmark]
    public void Tanh() => Pointwise.Tanh(_x, _y);

    /// <summary>TensorPrimitives.Tanh, for comparison (inaccurate for tiny inputs).</summary>
    [Benchmark]
    public void TanhTensorPrimitives() => TensorPrimitives.Tanh(_x, _y);

    /// <summary>dx += dy * y * (1 - y).</summary>
    [Benchmark]
    public void SigmoidBackwardAccumulate() => Pointwise.SigmoidBackwardAccumulate(_y, _dy, _dx);

    /// <summary>Row softmax over rows of 512.</summary>
    [Benchmark]
    public void Softmax() => Pointwise.Softmax(_x, Length / 512, 512, _dx);

    /// <summary>Column sums of [rows, 512] accumulated (bias gradient).</summary>
    [Benchmark]
    public void AddSumOverRows() => Pointwise.AddSumOverRows(_x, Length / 512, 512, _dx.AsSpan(0, 512));

    /// <summary>Sum of squares in double.</summary>
    [Benchmark]
    public double SumOfSquares() => Pointwise.SumOfSquares(_x);
}
