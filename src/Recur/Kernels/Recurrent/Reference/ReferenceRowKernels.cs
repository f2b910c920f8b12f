// B batch, T time, I input, H hidden, P projection, G gates (LSTM 4H i,f,g,o; GRU 3H r,z,n), L layers, D directions
namespace Recur.Kernels.Recurrent.Reference;

/// <summary>Scalar twin of <see cref="RowKernels"/>.</summary>
public static class ReferenceRowKernels
{
    /// <summary>matrix[r, j] = row[j].</summary>
    public static void FillRows(ReadOnlySpan<float> row, int rows, Span<float> matrix)
    {
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < row.Length; j++) matrix[(r * row.Length) + j] = row[j];
    }

    /// <summary>sum[j] += sum over r of matrix[r, j].</summary>
    public static void AddColumnSums(ReadOnlySpan<float> matrix, int rows, Span<float> sum)
    {
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < sum.Length; j++) sum[j] += matrix[(r * sum.Length) + j];
    }
}
