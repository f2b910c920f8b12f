// B batch, T time, I input, H hidden, P projection, G gates (LSTM 4H i,f,g,o; GRU 3H r,z,n), L layers, D directions
// N = sum of the lengths: rows of the packed layout.
namespace Recur.NN;

/// <summary>
/// PyTorch's packed-sequence layout: the sequences sorted by length (longest first), and for each step t the
/// BatchSizes[t] sequences still running, stored as rows Offsets[t] .. Offsets[t] + BatchSizes[t] - 1 of one [N, ..]
/// matrix. Sorted sequence s is row s of every step it is active in (s &lt; BatchSizes[t] exactly when t &lt; its length),
/// so finished sequences simply drop off the end of each step's block. Without lengths every sequence spans all T
/// steps, the order is the identity and the packed rows are the time-major [T, B] rows.
/// </summary>
internal sealed class SequenceLayout
{
    private SequenceLayout(int steps, int[] sortedLengths, int[] order, bool dense)
    {
        Steps = steps;
        Batch = order.Length;
        SortedLengths = sortedLengths;
        Order = order;
        IsDense = dense;
        BatchSizes = new int[steps];
        Offsets = new int[steps + 1];
        for (int t = 0; t < steps; t++)
        {
            int b = 0;
            while (b < Batch && sortedLengths[b] > t) b++;
            BatchSizes[t] = b;
            Offsets[t + 1] = Offsets[t] + b;
        }
        Rows = Offsets[steps];
    }

    /// <summary>T</summary>
    public int Steps { get; }

    /// <summary>B</summary>
    public int Batch { get; }

    /// <summary>N = sum of the lengths.</summary>
    public int Rows { get; }

    /// <summary>[T] sequences active at step t (non-increasing).</summary>
    public int[] BatchSizes { get; }

    /// <summary>[T + 1] first packed row of step t; Offsets[T] = N.</summary>
    public int[] Offsets { get; }

    /// <summary>[B] original batch index of sorted sequence s.</summary>
    public int[] Order { get; }

    /// <summary>[B] length of sorted sequence s (non-increasing).</summary>
    public int[] SortedLengths { get; }

    /// <summary>True when every sequence spans all T steps: the packed rows are exactly the time-major [T, B] rows.</summary>
    public bool IsDense { get; }

    /// <summary>Every one of <paramref name="batch"/> sequences runs all <paramref name="steps"/> steps.</summary>
    public static SequenceLayout Dense(int steps, int batch)
    {
        var lengths = new int[batch];
        Array.Fill(lengths, steps);
        return new SequenceLayout(steps, lengths, Enumerable.Range(0, batch).ToArray(), dense: true);
    }

    /// <summary>Sequence b runs lengths[b] steps (1 &lt;= lengths[b] &lt;= steps, checked by the caller).</summary>
    public static SequenceLayout FromLengths(int steps, IReadOnlyList<int> lengths)
    {
        // A stable sort keeps equal lengths in batch order; the sequences are independent, so ties cannot change results.
        int[] order = Enumerable.Range(0, lengths.Count).OrderByDescending(b => lengths[b]).ToArray();
        int[] sorted = order.Select(b => lengths[b]).ToArray();
        bool dense = sorted.All(l => l == steps);
        return new SequenceLayout(steps, sorted, order, dense);
    }

    /// <summary>The step at which sorted sequence <paramref name="s"/> ends in a scan of the given direction.</summary>
    public int LastStep(int s, bool reverse) => reverse ? 0 : SortedLengths[s] - 1;
}
