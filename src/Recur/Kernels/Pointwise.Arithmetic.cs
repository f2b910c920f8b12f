// n elements per span (x, y, dy, dx share it); matrices are row-major [rows, cols], softmax and bias act along cols
using System.Numerics.Tensors;

namespace Recur.Kernels;

/// <content>Elementwise arithmetic and the bias helpers for row-major [rows, cols] matrices.</content>
public static partial class Pointwise
{
    /// <summary>dst = x + y elementwise. dst may be x or y.</summary>
    /// <param name="x">First operand.</param>
    /// <param name="y">Second operand, as long as x.</param>
    /// <param name="dst">Output, at least as long as x.</param>
    public static void Add(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> dst)
    {
        CheckBinary(x, y, dst);
        TensorPrimitives.Add(x, y, dst);
    }

    /// <summary>dst = x - y elementwise. dst may be x or y.</summary>
    /// <param name="x">First operand.</param>
    /// <param name="y">Second operand, as long as x.</param>
    /// <param name="dst">Output, at least as long as x.</param>
    public static void Subtract(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> dst)
    {
        CheckBinary(x, y, dst);
        TensorPrimitives.Subtract(x, y, dst);
    }

    /// <summary>dst = x * y elementwise. dst may be x or y.</summary>
    /// <param name="x">First operand.</param>
    /// <param name="y">Second operand, as long as x.</param>
    /// <param name="dst">Output, at least as long as x.</param>
    public static void Multiply(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> dst)
    {
        CheckBinary(x, y, dst);
        TensorPrimitives.Multiply(x, y, dst);
    }

    /// <summary>y += alpha * x (axpy). y must not partially overlap x.</summary>
    /// <param name="x">The scaled operand.</param>
    /// <param name="alpha">The scale.</param>
    /// <param name="y">Accumulator, at least as long as x.</param>
    public static void AddScaled(ReadOnlySpan<float> x, float alpha, Span<float> y)
    {
        CheckOutput(x, y, nameof(x), nameof(y));
        TensorPrimitives.MultiplyAdd(x, alpha, y[..x.Length], y);
    }

    /// <summary>y = alpha * x. y may be x.</summary>
    /// <param name="x">Input.</param>
    /// <param name="alpha">The scale.</param>
    /// <param name="y">Output, at least as long as x.</param>
    public static void Scale(ReadOnlySpan<float> x, float alpha, Span<float> y)
    {
        CheckOutput(x, y, nameof(x), nameof(y));
        TensorPrimitives.Multiply(x, alpha, y);
    }

    /// <summary>y[i] = value for every element of y.</summary>
    /// <param name="value">The value.</param>
    /// <param name="y">Output.</param>
    public static void Fill(float value, Span<float> y) => y.Fill(value);

    /// <summary>matrix[i, j] += bias[j] for the row-major [rows, cols] matrix (a bias added to every row).</summary>
    /// <param name="bias">[cols].</param>
    /// <param name="rows">Rows of the matrix.</param>
    /// <param name="cols">Columns of the matrix; bias holds at least this many.</param>
    /// <param name="matrix">[rows, cols], updated in place; must not overlap bias.</param>
    public static void AddRowVector(ReadOnlySpan<float> bias, int rows, int cols, Span<float> matrix)
    {
        int size = CheckMatrix(matrix.Length, rows, cols, nameof(matrix));
        CheckMatrix(bias.Length, 1, cols, nameof(bias));
        if (bias.Overlaps(matrix[..size]))
        {
            throw new ArgumentException("matrix must not overlap bias.", nameof(matrix));
        }

        ReadOnlySpan<float> b = bias[..cols];
        for (int i = 0; i < rows; i++)
        {
            Span<float> row = matrix.Slice(i * cols, cols);
            TensorPrimitives.Add(row, b, row);
        }
    }

    /// <summary>
    /// dst[j] += Σ_i x[i, j]: the column sums of the row-major [rows, cols] matrix, accumulated (a bias gradient).
    /// Rows are added one after another in order.
    /// </summary>
    /// <param name="x">[rows, cols].</param>
    /// <param name="rows">Rows of x.</param>
    /// <param name="cols">Columns of x.</param>
    /// <param name="dst">[cols], accumulated; must not overlap x.</param>
    public static void AddSumOverRows(ReadOnlySpan<float> x, int rows, int cols, Span<float> dst)
    {
        int size = CheckMatrix(x.Length, rows, cols, nameof(x));
        CheckMatrix(dst.Length, 1, cols, nameof(dst));
        if (x[..size].Overlaps(dst[..cols]))
        {
            throw new ArgumentException("dst must not overlap x.", nameof(dst));
        }

        Span<float> d = dst[..cols];
        for (int i = 0; i < rows; i++)
        {
            TensorPrimitives.Add(d, x.Slice(i * cols, cols), d);
        }
    }

    private static void CheckBinary(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> dst)
    {
        CheckSameLength(x, y, nameof(x), nameof(y));
        CheckOutput(x, dst, nameof(x), nameof(dst));
        CheckNoPartialOverlap(y, dst, nameof(dst));
    }
}
