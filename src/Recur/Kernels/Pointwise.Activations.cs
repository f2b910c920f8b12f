// n elements per span (x, y, dy, dx share it); matrices are row-major [rows, cols], softmax and bias act along cols

namespace Recur.Kernels;

/// <content>Activations and their gradients, written from the activation's output y.</content>
public static partial class Pointwise
{
    /// <summary>
    /// y = 1 / (1 + exp(-x)) in single precision, within 2.41 ulp (<see cref="ActivationMath"/>); saturates to exactly 0
    /// or 1 for large |x|, NaN stays NaN. y may be x.
    /// </summary>
    /// <param name="x">Input.</param>
    /// <param name="y">Output, at least as long as x.</param>
    public static void Sigmoid(ReadOnlySpan<float> x, Span<float> y)
    {
        CheckOutput(x, y, nameof(x), nameof(y));
        SimdLoops.Map<SigmoidOp>(x, y);
    }

    /// <summary>
    /// y = tanh(x) in single precision, within 1.51 ulp (<see cref="ActivationMath"/>); saturates to exactly -1 or 1 for
    /// large |x|, keeps the sign of tiny inputs and of -0, NaN stays NaN. y may be x.
    /// </summary>
    /// <param name="x">Input.</param>
    /// <param name="y">Output, at least as long as x.</param>
    public static void Tanh(ReadOnlySpan<float> x, Span<float> y)
    {
        CheckOutput(x, y, nameof(x), nameof(y));
        SimdLoops.Map<TanhOp>(x, y);
    }

    /// <summary>y = max(x, 0), with NaN propagated and -0 mapped to +0. y may be x.</summary>
    /// <param name="x">Input.</param>
    /// <param name="y">Output, at least as long as x.</param>
    public static void Relu(ReadOnlySpan<float> x, Span<float> y)
    {
        CheckOutput(x, y, nameof(x), nameof(y));
        SimdLoops.Map<ReluOp>(x, y);
    }

    /// <summary>dx = dy * y * (1 - y), the sigmoid gradient from its output y. dx may be y or dy.</summary>
    /// <param name="y">Sigmoid output.</param>
    /// <param name="dy">Gradient of the output, as long as y.</param>
    /// <param name="dx">Gradient of the input (overwritten), at least as long as y.</param>
    public static void SigmoidBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        CheckBackward(y, dy, dx);
        SimdLoops.Zip<SigmoidBackwardOp>(y, dy, dx);
    }

    /// <summary>dx += dy * y * (1 - y), the sigmoid gradient accumulated. dx may be y or dy.</summary>
    /// <param name="y">Sigmoid output.</param>
    /// <param name="dy">Gradient of the output, as long as y.</param>
    /// <param name="dx">Gradient of the input (accumulated), at least as long as y.</param>
    public static void SigmoidBackwardAccumulate(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        CheckBackward(y, dy, dx);
        SimdLoops.Zip3<AccumulateOp<SigmoidBackwardOp>>(y, dy, dx, dx);
    }

    /// <summary>dx = dy * (1 - y * y), the tanh gradient from its output y. dx may be y or dy.</summary>
    /// <param name="y">Tanh output.</param>
    /// <param name="dy">Gradient of the output, as long as y.</param>
    /// <param name="dx">Gradient of the input (overwritten), at least as long as y.</param>
    public static void TanhBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        CheckBackward(y, dy, dx);
        SimdLoops.Zip<TanhBackwardOp>(y, dy, dx);
    }

    /// <summary>dx += dy * (1 - y * y), the tanh gradient accumulated. dx may be y or dy.</summary>
    /// <param name="y">Tanh output.</param>
    /// <param name="dy">Gradient of the output, as long as y.</param>
    /// <param name="dx">Gradient of the input (accumulated), at least as long as y.</param>
    public static void TanhBackwardAccumulate(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        CheckBackward(y, dy, dx);
        SimdLoops.Zip3<AccumulateOp<TanhBackwardOp>>(y, dy, dx, dx);
    }

    /// <summary>dx = y &gt; 0 ? dy : 0, the ReLU gradient from its output y. dx may be y or dy.</summary>
    /// <param name="y">ReLU output.</param>
    /// <param name="dy">Gradient of the output, as long as y.</param>
    /// <param name="dx">Gradient of the input (overwritten), at least as long as y.</param>
    public static void ReluBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        CheckBackward(y, dy, dx);
        SimdLoops.Zip<ReluBackwardOp>(y, dy, dx);
    }

    /// <summary>dx += y &gt; 0 ? dy : 0, the ReLU gradient accumulated. dx may be y or dy.</summary>
    /// <param name="y">ReLU output.</param>
    /// <param name="dy">Gradient of the output, as long as y.</param>
    /// <param name="dx">Gradient of the input (accumulated), at least as long as y.</param>
    public static void ReluBackwardAccumulate(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        CheckBackward(y, dy, dx);
        SimdLoops.Zip3<AccumulateOp<ReluBackwardOp>>(y, dy, dx, dx);
    }

    private static void CheckBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        CheckSameLength(y, dy, nameof(y), nameof(dy));
        CheckOutput(y, dx, nameof(y), nameof(dx));
        CheckNoPartialOverlap(dy, dx, nameof(dx));
    }
}
