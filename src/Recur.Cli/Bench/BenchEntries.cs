// B batch, T time, I input, H hidden, G gates (LSTM 4H i,f,g,o; GRU 3H r,z,n)
using Recur.Autograd;
using Recur.Kernels;
using Recur.NN;
using Recur.Optim;
using Recur.Training;

namespace Recur.Cli.Bench;

/// <summary>
/// The entries of <c>recur bench</c>. Flop counts are the standard ones: a forward pass does
/// 2 * T * B * G * (I + H) flops in its GEMMs (input projection and recurrent product; pointwise work is not
/// counted), a training step counts 3x the forward (forward, and the two backward GEMMs per forward GEMM), and a
/// streaming step is the forward with T = 1.
/// </summary>
public static class BenchEntries
{
    /// <summary>The GEMM entry's size: C[n, n] = A[n, n] B[n, n].</summary>
    public const int GemmSize = 1024;

    /// <summary>All entries, in report order.</summary>
    public static IReadOnlyList<BenchEntry> All { get; } =
    [
        new("fma_peak", FmaPeakFlops, () => () => FmaPeak.Measure(Environment.ProcessorCount, FmaPeakIterations)),
        new("gemm_1024", 2.0 * GemmSize * GemmSize * GemmSize, GemmSetup),
        Train(true, 64, 100, 128, 512),
        Train(false, 64, 100, 128, 512),
        Train(true, 32, 50, 64, 256),
        Infer(true, 64, 100, 128, 512),
        Infer(false, 64, 100, 128, 512),
        Infer(true, 32, 50, 64, 256),
        Stream(true, 1, 64, 256),
        Stream(false, 1, 64, 256),
    ];

    // Iterations of the FMA loop per call: about 20 ms on one 3.4 GHz Zen 5 core.
    private const long FmaPeakIterations = 2_000_000;

    private static double FmaPeakFlops => Environment.ProcessorCount * FmaPeakIterations * 16.0 * (FmaPeak.VectorBits / 32) * 2;

    /// <summary>Forward flops of one layer: 2 * T * B * G * (I + H).</summary>
    public static double ForwardFlops(bool lstm, int batch, int steps, int input, int hidden) =>
        2.0 * steps * batch * (lstm ? 4 : 3) * hidden * (input + hidden);

    private static RecurrentLayer Create(bool lstm, int input, int hidden)
    {
        var rng = new RandomGenerator(1);
        return lstm ? new Lstm(input, hidden, rng: rng) : new Gru(input, hidden, rng: rng);
    }

    private static Tensor RandomInput(params int[] shape) => new RandomGenerator(2).Normal(0, 1, shape);

    private static Action GemmSetup()
    {
        int n = GemmSize;
        var rng = new RandomGenerator(3);
        var a = rng.Normal(0, 1, n, n);
        var b = rng.Normal(0, 1, n, n);
        var c = new float[n * n];
        return () => Gemm.Multiply(false, false, n, n, n, 1f, a.Span, b.Span, 0f, c);
    }

    private static BenchEntry Train(bool lstm, int batch, int steps, int input, int hidden) =>
        new($"{(lstm ? "lstm" : "gru")}_train_b{batch}_t{steps}_i{input}_h{hidden}", 3 * ForwardFlops(lstm, batch, steps, input, hidden), () =>
        {
            var layer = Create(lstm, input, hidden);
            var optimizer = new Sgd(layer.Parameters(), learningRate: 1e-6);
            var x = new Variable(RandomInput(steps, batch, input));
            return () =>
            {
                optimizer.ZeroGrad();
                var result = layer.Forward(x);
                TrainingStep.Apply(Ops.Sum(result.Output), layer, optimizer);
            };
        });

    private static BenchEntry Infer(bool lstm, int batch, int steps, int input, int hidden) =>
        new($"{(lstm ? "lstm" : "gru")}_forward_b{batch}_t{steps}_i{input}_h{hidden}", ForwardFlops(lstm, batch, steps, input, hidden), () =>
        {
            var layer = Create(lstm, input, hidden);
            layer.Eval();
            var x = RandomInput(steps, batch, input);
            // Into tensors allocated once, as ONNX Runtime's side binds its outputs once.
            var output = new Tensor(steps, batch, hidden);
            var hN = new Tensor(1, batch, hidden);
            var cN = lstm ? new Tensor(1, batch, hidden) : null;
            return () => layer.ForwardInto(x, output, hN, cN);
        });

    private static BenchEntry Stream(bool lstm, int batch, int input, int hidden) =>
        new($"{(lstm ? "lstm" : "gru")}_stream_b{batch}_i{input}_h{hidden}", ForwardFlops(lstm, batch, 1, input, hidden), () =>
        {
            var stream = Create(lstm, input, hidden).CreateStream(batch);
            var x = RandomInput(batch, input);
            var y = new float[batch * hidden];
            return () => stream.Step(x.Span, y);
        });
}
