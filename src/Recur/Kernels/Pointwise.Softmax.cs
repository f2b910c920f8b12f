// n elements per span (x, y, dy, dx share it); matrices are row-major [rows, cols], softmax and bias act along cols
using System.Numerics.Tensors;

namespace Recur.Kernels;

/// <content>Row-wise softmax and log-softmax over row-major [rows, cols] matrices, with their gradients.</content>
public static partial class Pointwise
{
    // Rows are processed in chunks of this many floats where a scratch row is needed (on the stack).
    private const int ScratchChunk = 256;

    /// <summary>
    /// y[i, j] = exp(x[i, j] - m_i) / Σ_j exp(x[i, j] - m_i) with m_i = max_j x[i, j], for each row of the row-major
    /// [rows, cols] x. Stable for large values; -inf entries give 0; a row that is all -inf, holds +inf or NaN gives NaN.
    /// y may be x.
    /// </summary>
    /// <param name="x">[rows, cols] logits.</param>
    /// <param name="rows">Rows.</param>
    /// <param name="cols">Columns (the softmax axis).</param>
    /// <param name="y">[rows, cols] probabilities.</param>
    public static void Softmax(ReadOnlySpan<float> x, int rows, int cols, Span<float> y)
    {
        int size = CheckRows(x, rows, cols, y, nameof(x), nameof(y));
        for (int start = 0; start < size; start += cols)
        {
            ReadOnlySpan<float> xi = x.Slice(start, cols);
            Span<float> yi = y.Slice(start, cols);
            float max = TensorPrimitives.Max(xi);
            TensorPrimitives.Subtract(xi, max, yi);
            TensorPrimitives.Exp(yi, yi);
            TensorPrimitives.Divide(yi, TensorPrimitives.Sum(yi), yi);
        }
    }

    /// <summary>
    /// y[i, j] = (x[i, j] - m_i) - log Σ_j exp(x[i, j] - m_i) with m_i = max_j x[i, j], for each row of the row-major
    /// [rows, cols] x. A row that is all -inf, holds +inf or NaN gives NaN. y may be x.
    /// </summary>
    /// <param name="x">[rows, cols] logits.</param>
    /// <param name="rows">Rows.</param>
    /// <param name="cols">Columns (the softmax axis).</param>
    /// <param name="y">[rows, cols] log-probabilities.</param>
    public static void LogSoftmax(ReadOnlySpan<float> x, int rows, int cols, Span<float> y)
    {
        int size = CheckRows(x, rows, cols, y, nameof(x), nameof(y));
        Span<float> scratch = stackalloc float[ScratchChunk];
        for (int start = 0; start < size; start += cols)
        {
            ReadOnlySpan<float> xi = x.Slice(start, cols);
            Span<float> yi = y.Slice(start, cols);
            float max = TensorPrimitives.Max(xi);
            float sum = 0f;
            for (int j = 0; j < cols; j += ScratchChunk)
            {
                ReadOnlySpan<float> part = xi.Slice(j, Math.Min(ScratchChunk, cols - j));
                Span<float> s = scratch[..part.Length];
                TensorPrimitives.Subtract(part, max, s);
                TensorPrimitives.Exp(s, s);
                sum += TensorPrimitives.Sum(s);
            }

            TensorPrimitives.Subtract(xi, max, yi);
            TensorPrimitives.Subtract(yi, MathF.Log(sum), yi);
        }
    }

    /// <summary>
    /// dx[i, j] = y[i, j] * (dy[i, j] - Σ_k dy[i, k] * y[i, k]) for each row: the softmax gradient from its output y.
    /// dx may be y or dy.
    /// </summary>
    /// <param name="y">[rows, cols] softmax output.</param>
    /// <param name="dy">[rows, cols] gradient of the output.</param>
    /// <param name="rows">Rows.</param>
    /// <param name="cols">Columns (the softmax axis).</param>
    /// <param name="dx">[rows, cols] gradient of the input (overwritten).</param>
    public static void SoftmaxBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, int rows, int cols, Span<float> dx)
    {
        int size = CheckRowsBackward(y, dy, rows, cols, dx);
        for (int start = 0; start < size; start += cols)
        {
            ReadOnlySpan<float> yi = y.Slice(start, cols);
            ReadOnlySpan<float> dyi = dy.Slice(start, cols);
            float dot = TensorPrimitives.Dot(dyi, yi);
            TensorPrimitives.AddMultiply(dyi, -dot, yi, dx.Slice(start, cols));
        }
    }

    /// <summary>
    /// dx[i, j] = dy[i, j] - exp(y[i, j]) * Σ_k dy[i, k] for each row: the log-softmax gradient from its output y.
    /// dx may be y or dy.
    /// </summary>
    /// <param name="y">[rows, cols] log-softmax output.</param>
    /// <param name="dy">[rows, cols] gradient of the output.</param>
    /// <param name="rows">Rows.</param>
    /// <param name="cols">Columns (the softmax axis).</param>
    /// <param name="dx">[rows, cols] gradient of the input (overwritten).</param>
    public static void LogSoftmaxBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, int rows, int cols, Span<float> dx)
    {
        int size = CheckRowsBackward(y, dy, rows, cols, dx);
        Span<float> scratch = stackalloc float[ScratchChunk];
        for (int start = 0; start < size; start += cols)
        {
            float sum = TensorPrimitives.Sum(dy.Slice(start, cols));
            for (int j = 0; j < cols; j += ScratchChunk)
            {
                int length = Math.Min(ScratchChunk, cols - j);
                Span<float> s = scratch[..length];
                TensorPrimitives.Exp(y.Slice(start + j, length), s);
                TensorPrimitives.MultiplyAdd(s, -sum, dy.Slice(start + j, length), dx.Slice(start + j, length));
            }
        }
    }

    private static int CheckRows(ReadOnlySpan<float> x, int rows, int cols, Span<float> y, string xName, string yName)
    {
        int size = CheckMatrix(x.Length, rows, cols, xName);
        CheckMatrix(y.Length, rows, cols, yName);
        CheckNoPartialOverlap(x[..size], y[..size], yName);
        return size;
    }

    private static int CheckRowsBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, int rows, int cols, Span<float> dx)
    {
        int size = CheckRows(y, rows, cols, dx, nameof(y), nameof(dx));
        CheckMatrix(dy.Length, rows, cols, nameof(dy));
        CheckNoPartialOverlap(dy[..size], dx[..size], nameof(dx));
        return size;
    }
}
