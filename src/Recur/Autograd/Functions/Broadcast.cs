namespace Recur.Autograd.Functions;

/// <summary>NumPy broadcasting of two shapes (aligned on the right; a dimension of 1 stretches).</summary>
internal static class Broadcast
{
    public static int[] Shape(ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        int rank = Math.Max(a.Length, b.Length);
        var s = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i < rank - a.Length ? 1 : a[i - (rank - a.Length)];
            int db = i < rank - b.Length ? 1 : b[i - (rank - b.Length)];
            if (da != db && da != 1 && db != 1)
                throw new ArgumentException($"Shapes {Tensor.FormatShape(a)} and {Tensor.FormatShape(b)} cannot be broadcast together.");
            s[i] = da == 1 ? db : da;
        }
        return s;
    }

    /// <summary>Strides (in elements) of <paramref name="shape"/> seen through the broadcast <paramref name="outShape"/>; 0 on stretched dimensions.</summary>
    public static int[] Strides(ReadOnlySpan<int> shape, ReadOnlySpan<int> outShape)
    {
        var strides = new int[outShape.Length];
        int stride = 1;
        for (int i = outShape.Length - 1; i >= 0; i--)
        {
            int j = i - (outShape.Length - shape.Length);
            int d = j >= 0 ? shape[j] : 1;
            strides[i] = d == 1 ? 0 : stride;
            stride *= d;
        }
        return strides;
    }

    /// <summary>
    /// When <paramref name="small"/> is a trailing block of <paramref name="outShape"/> (a bias over the last
    /// dimensions), returns the block size; otherwise 0.
    /// </summary>
    public static int TrailingBlock(ReadOnlySpan<int> small, ReadOnlySpan<int> outShape)
    {
        int lead = 0;
        while (lead < small.Length && small[lead] == 1) lead++;
        var core = small[lead..];
        if (core.Length == 0 || core.Length > outShape.Length) return 0;
        if (!outShape[^core.Length..].SequenceEqual(core)) return 0;
        return Tensor.ElementCount(core);
    }

    /// <summary>
    /// Calls <paramref name="body"/> once per row of the last output dimension with the flat offsets of the row's first
    /// output element and of both operands there; a row runs along the last dimension, where an operand's stride is 1
    /// (it has that dimension) or 0 (stretched), as <paramref name="stridesA"/> and <paramref name="stridesB"/> say.
    /// Rows come in the order of <see cref="ForEach"/>'s elements.
    /// </summary>
    public static void ForEachRow(ReadOnlySpan<int> outShape, int[] stridesA, int[] stridesB, Action<int, int, int> body)
    {
        int rank = outShape.Length, width = outShape[^1];
        if (width == 0) return;
        int rows = Tensor.ElementCount(outShape) / width;
        var index = new int[Math.Max(0, rank - 1)];
        int offA = 0, offB = 0;
        for (int row = 0; row < rows; row++)
        {
            body(row * width, offA, offB);
            for (int d = rank - 2; d >= 0; d--)
            {
                index[d]++;
                offA += stridesA[d];
                offB += stridesB[d];
                if (index[d] < outShape[d]) break;
                offA -= stridesA[d] * index[d];
                offB -= stridesB[d] * index[d];
                index[d] = 0;
            }
        }
    }

    /// <summary>Calls <paramref name="body"/> with the flat offsets of both operands for each output element.</summary>
    public static void ForEach(ReadOnlySpan<int> outShape, int[] stridesA, int[] stridesB, Action<int, int, int> body)
    {
        if (outShape.Length == 0)
        {
            body(0, 0, 0);
            return;
        }
        int width = outShape[^1], stepA = stridesA[^1], stepB = stridesB[^1];
        ForEachRow(outShape, stridesA, stridesB, (i, a, b) =>
        {
            for (int j = 0; j < width; j++) body(i + j, a + (j * stepA), b + (j * stepB));
        });
    }
}
