// B batch, T time, I input, H hidden, P projection, G gates (LSTM 4H i,f,g,o; GRU 3H r,z,n), L layers, D directions
using System.Numerics.Tensors;
using static Recur.Kernels.Recurrent.SpanChecks;

namespace Recur.Kernels.Recurrent;

/// <summary>Row-wise helpers of the recurrent layers: bias broadcast before a GEMM and bias gradients after it.</summary>
public static class RowKernels
{
    /// <summary>matrix[r, :] = row for every r &lt; rows (matrix is [rows, n], n = row.Length).</summary>
    public static void FillRows(ReadOnlySpan<float> row, int rows, Span<float> matrix)
    {
        int n = row.Length;
        Sizes(rows, n);
        AtLeast(matrix.Length, rows * n, nameof(matrix), "[rows, n]");
        for (int r = 0; r < rows; r++) row.CopyTo(matrix.Slice(r * n, n));
    }

    /// <summary>sum[j] += sum over r &lt; rows of matrix[r, j] (matrix is [rows, n], n = sum.Length): bias gradients.</summary>
    public static void AddColumnSums(ReadOnlySpan<float> matrix, int rows, Span<float> sum)
    {
        int n = sum.Length;
        Sizes(rows, n);
        AtLeast(matrix.Length, rows * n, nameof(matrix), "[rows, n]");
        for (int r = 0; r < rows; r++) TensorPrimitives.Add(sum, matrix.Slice(r * n, n), sum);
    }
}
