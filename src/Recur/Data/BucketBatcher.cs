namespace Recur.Data;

/// <summary>
/// Batches of variable-length examples with little padding. Each epoch e, a permutation of all N examples drawn from
/// a generator seeded by (seed, e) is cut into chunks of B * bucketFactor examples; each chunk is sorted by length
/// (ties by their place in the permutation) and cut into batches of B, and the order of all the epoch's batches is
/// shuffled. Examples of a batch so have similar lengths, while batches still come in random order. The last batch of
/// an epoch may be smaller, unless dropLast. Without shuffle the permutation is the identity and the batch order is
/// kept; a bucket factor of 1 sorts only within a batch, which pads as much as no sorting.
/// Since an epoch's batches depend only on (seed, e), <see cref="GetState"/> and <see cref="SetState"/> resume the
/// exact sequence of batches.
/// </summary>
public sealed class BucketBatcher
{
    private readonly int[] _lengths;
    private readonly ulong _seed;
    private int[][]? _plan;
    private long _planEpoch = -1;

    /// <summary>Creates the batcher over examples of the given <paramref name="lengths"/>.</summary>
    /// <exception cref="ArgumentException">There are no examples, a length is negative, or dropLast leaves no batch.</exception>
    public BucketBatcher(IReadOnlyList<int> lengths, int batchSize, ulong seed, bool shuffle = true, int bucketFactor = 50, bool dropLast = false)
    {
        ArgumentNullException.ThrowIfNull(lengths);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bucketFactor);
        if (lengths.Count == 0) throw new ArgumentException("A batcher needs at least one example.", nameof(lengths));
        _lengths = lengths.ToArray();
        for (int i = 0; i < _lengths.Length; i++)
            if (_lengths[i] < 0) throw new ArgumentException($"Example {i} has a negative length {_lengths[i]}.", nameof(lengths));
        if (dropLast && _lengths.Length < batchSize)
            throw new ArgumentException($"{_lengths.Length} examples make no full batch of {batchSize}, and dropLast drops the partial one.", nameof(lengths));
        BatchSize = batchSize;
        BucketFactor = bucketFactor;
        Shuffle = shuffle;
        DropLast = dropLast;
        _seed = seed;
    }

    /// <summary>B: examples per batch.</summary>
    public int BatchSize { get; }

    /// <summary>Batches per sorted chunk.</summary>
    public int BucketFactor { get; }

    /// <summary>Whether examples and batches are shuffled each epoch.</summary>
    public bool Shuffle { get; }

    /// <summary>Whether a last batch smaller than <see cref="BatchSize"/> is dropped.</summary>
    public bool DropLast { get; }

    /// <summary>N: the number of examples.</summary>
    public int Count => _lengths.Length;

    /// <summary>floor(N / B) with dropLast, else ceil(N / B).</summary>
    public int BatchesPerEpoch => DropLast ? Count / BatchSize : (Count + BatchSize - 1) / BatchSize;

    /// <summary>Completed epochs.</summary>
    public long Epoch { get; private set; }

    /// <summary>Batches taken in the current epoch, 0 .. <see cref="BatchesPerEpoch"/> - 1.</summary>
    public int Position { get; private set; }

    /// <summary>True when the last <see cref="Next"/> took the last batch of an epoch (<see cref="Epoch"/> has just grown).</summary>
    public bool EpochCompleted { get; private set; }

    /// <summary>The example indices of the next batch.</summary>
    public int[] Next()
    {
        int[] batch = (int[])Plan(Epoch)[Position].Clone();
        Position++;
        EpochCompleted = Position == BatchesPerEpoch;
        if (EpochCompleted)
        {
            Epoch++;
            Position = 0;
        }
        return batch;
    }

    /// <summary>The position, for a checkpoint.</summary>
    public BatcherState GetState() => new(Epoch, Position);

    /// <summary>Moves to a saved position: the following batches are those that followed it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The epoch is negative or the position is not inside an epoch.</exception>
    public void SetState(BatcherState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentOutOfRangeException.ThrowIfNegative(state.Epoch, nameof(state));
        if (state.Position < 0 || state.Position >= BatchesPerEpoch)
            throw new ArgumentOutOfRangeException(nameof(state), $"Position {state.Position} is not a batch of an epoch of {BatchesPerEpoch} batches.");
        Epoch = state.Epoch;
        Position = state.Position;
        EpochCompleted = false;
    }

    /// <summary>
    /// Batches for evaluation: every example exactly once, sorted by length (ties by index), cut into batches of
    /// <paramref name="batchSize"/>; the last may be smaller.
    /// </summary>
    public static int[][] Ordered(IReadOnlyList<int> lengths, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(lengths);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        int[] order = Enumerable.Range(0, lengths.Count).OrderBy(i => lengths[i]).ToArray();
        return order.Chunk(batchSize).ToArray();
    }

    private int[][] Plan(long epoch)
    {
        if (_plan is not null && _planEpoch == epoch) return _plan;
        var rng = new RandomGenerator(EpochSeed(_seed, epoch));
        int[] perm = Enumerable.Range(0, Count).ToArray();
        if (Shuffle) rng.Shuffle<int>(perm);
        var batches = new List<int[]>(BatchesPerEpoch + 1);
        int chunk = checked(BatchSize * BucketFactor);
        for (int start = 0; start < perm.Length; start += chunk)
        {
            int[] sorted = perm[start..Math.Min(start + chunk, perm.Length)].OrderBy(i => _lengths[i]).ToArray(); // stable: ties keep their order
            batches.AddRange(sorted.Chunk(BatchSize));
        }
        if (DropLast && batches[^1].Length < BatchSize) batches.RemoveAt(batches.Count - 1);
        int[][] plan = batches.ToArray();
        if (Shuffle) rng.Shuffle<int[]>(plan);
        _plan = plan;
        _planEpoch = epoch;
        return plan;
    }

    private static ulong EpochSeed(ulong seed, long epoch) => seed ^ (0xD1B54A32D192ED03UL * ((ulong)epoch + 1));
}

/// <summary>A <see cref="BucketBatcher"/>'s position: completed epochs and batches taken in the current one.</summary>
public sealed record BatcherState(long Epoch, int Position);
