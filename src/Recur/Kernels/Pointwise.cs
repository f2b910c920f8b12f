// n elements per span (x, y, dy, dx share it); matrices are row-major [rows, cols], softmax and bias act along cols
namespace Recur.Kernels;

/// <summary>
/// Elementwise, row-wise and reduction kernels on float spans: activations and their gradients, arithmetic,
/// bias helpers, sums, and softmax. Inputs come first, then sizes and options, outputs last. Unless a method says
/// otherwise, an output may be the very same span as an input (in place) but must not partially overlap one, and
/// outputs longer than needed keep their extra elements.
/// </summary>
public static partial class Pointwise
{
    private static void CheckOutput(ReadOnlySpan<float> input, Span<float> output, string inputName, string outputName)
    {
        if (output.Length < input.Length)
        {
            throw new ArgumentException(
                $"{outputName} has {output.Length} elements but {inputName} has {input.Length}: expected at least {input.Length}.",
                outputName);
        }

        CheckNoPartialOverlap(input, output, outputName);
    }

    private static void CheckSameLength(ReadOnlySpan<float> first, ReadOnlySpan<float> second, string firstName, string secondName)
    {
        if (first.Length != second.Length)
        {
            throw new ArgumentException(
                $"{secondName} has {second.Length} elements but {firstName} has {first.Length}: expected equal lengths.",
                secondName);
        }
    }

    private static void CheckNoPartialOverlap(ReadOnlySpan<float> input, ReadOnlySpan<float> output, string outputName)
    {
        if (input.Overlaps(output, out int offset) && offset != 0)
        {
            throw new ArgumentException(
                $"{outputName} partially overlaps an input (offset {offset}); it may only be the same span or disjoint.",
                outputName);
        }
    }

    // Checks a row-major [rows, cols] matrix view and returns rows * cols.
    private static int CheckMatrix(int length, int rows, int cols, string name)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(cols);
        long needed = (long)rows * cols;
        if (length < needed)
        {
            throw new ArgumentException(
                $"{name} has {length} elements but [{rows} x {cols}] needs {needed}.",
                name);
        }

        return (int)needed;
    }
}
