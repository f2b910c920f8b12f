namespace Recur.Training;

/// <summary>
/// Batches of items held in memory for a <see cref="Trainer"/>, in a new seeded order every epoch (the order of epoch
/// e is a function of the seed and e alone, so the saved epoch and position resume the exact batches). The last
/// batch of an epoch holds the remainder.
/// </summary>
/// <typeparam name="T">One example.</typeparam>
public sealed class ShuffledBatches<T> : IBatchSource<IReadOnlyList<T>>
{
    private readonly IReadOnlyList<T> _items;
    private readonly ulong _seed;
    private int[] _order = [];
    private long _orderEpoch = -1;
    private int _position;

    /// <summary>Batches of <paramref name="batchSize"/> of <paramref name="items"/>.</summary>
    public ShuffledBatches(IReadOnlyList<T> items, int batchSize, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count == 0) throw new ArgumentException("There are no items to make batches of.", nameof(items));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        _items = items;
        _seed = seed;
        BatchSize = batchSize;
    }

    /// <summary>B: items per batch.</summary>
    public int BatchSize { get; }

    /// <inheritdoc/>
    public long Epoch { get; private set; }

    /// <inheritdoc/>
    public int BatchesPerEpoch => (_items.Count + BatchSize - 1) / BatchSize;

    /// <inheritdoc/>
    public IReadOnlyList<T> Next()
    {
        if (_orderEpoch != Epoch)
        {
            _order = Enumerable.Range(0, _items.Count).ToArray();
            new RandomGenerator(_seed ^ (0x9E3779B97F4A7C15UL * (ulong)(Epoch + 1))).Shuffle(_order.AsSpan());
            _orderEpoch = Epoch;
        }
        int start = _position * BatchSize, count = Math.Min(BatchSize, _items.Count - start);
        var batch = new T[count];
        for (int i = 0; i < count; i++) batch[i] = _items[_order[start + i]];
        if (++_position == BatchesPerEpoch)
        {
            _position = 0;
            Epoch++;
        }
        return batch;
    }

    /// <inheritdoc/>
    public long CountItems(IReadOnlyList<T> batch) => batch?.Count ?? 0;

    /// <inheritdoc/>
    public void SaveState(CheckpointState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        state.Json["epoch"] = Epoch;
        state.Json["position"] = _position;
    }

    /// <inheritdoc/>
    public void LoadState(CheckpointState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        long epoch = state.GetInt64("epoch"), position = state.GetInt64("position");
        if (epoch < 0 || position < 0 || position >= BatchesPerEpoch)
            throw new InvalidDataException($"the saved position (epoch {epoch}, batch {position}) does not fit {BatchesPerEpoch} batches per epoch.");
        Epoch = epoch;
        _position = (int)position;
    }
}
