using Recur.Data;

namespace Recur.Training;

/// <summary>
/// Training batches of an <see cref="EncodedSequences"/> for a <see cref="Trainer"/>: a seeded order that changes every
/// epoch, bucketed by length so that little padding is needed (<see cref="BucketBatcher"/>); its state is the
/// batcher's epoch and position, so a resumed run sees the same batches.
/// </summary>
public sealed class SequenceBatchSource : IBatchSource<SequenceBatch>
{
    private readonly EncodedSequences _data;
    private readonly BucketBatcher _batcher;
    private readonly int? _maxLength;

    /// <summary>Batches of <paramref name="batchSize"/> examples of <paramref name="data"/>, cut to <paramref name="maxLength"/> steps when given.</summary>
    public SequenceBatchSource(EncodedSequences data, int batchSize, ulong seed, int? maxLength = null, int bucketFactor = 50)
    {
        ArgumentNullException.ThrowIfNull(data);
        _data = data;
        _maxLength = maxLength;
        _batcher = new BucketBatcher(data.Lengths, batchSize, seed, shuffle: true, bucketFactor: bucketFactor);
    }

    /// <inheritdoc/>
    public long Epoch => _batcher.Epoch;

    /// <inheritdoc/>
    public int BatchesPerEpoch => _batcher.BatchesPerEpoch;

    /// <inheritdoc/>
    public SequenceBatch Next() => _data.Batch(_batcher.Next(), _maxLength);

    /// <inheritdoc/>
    public long CountItems(SequenceBatch batch) => batch?.Size ?? 0;

    /// <inheritdoc/>
    public void SaveState(CheckpointState state) => BatcherCheckpoint.Save(_batcher, state);

    /// <inheritdoc/>
    public void LoadState(CheckpointState state) => BatcherCheckpoint.Load(_batcher, state);
}
