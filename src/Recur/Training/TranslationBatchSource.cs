using Recur.Data;

namespace Recur.Training;

/// <summary>
/// Training batches of <see cref="TranslationData"/> for a <see cref="Trainer"/>: a seeded order that changes every
/// epoch, bucketed by source length (<see cref="BucketBatcher"/>); its state is the batcher's epoch and position, so a
/// resumed run sees the same batches. Items are sentence pairs.
/// </summary>
public sealed class TranslationBatchSource : IBatchSource<TranslationBatch>
{
    private readonly TranslationData _data;
    private readonly BucketBatcher _batcher;

    /// <summary>Batches of <paramref name="batchSize"/> pairs of <paramref name="data"/>.</summary>
    public TranslationBatchSource(TranslationData data, int batchSize, ulong seed, int bucketFactor = 50)
    {
        ArgumentNullException.ThrowIfNull(data);
        _data = data;
        _batcher = new BucketBatcher(data.SourceLengths, batchSize, seed, shuffle: true, bucketFactor: bucketFactor);
    }

    /// <inheritdoc/>
    public long Epoch => _batcher.Epoch;

    /// <inheritdoc/>
    public int BatchesPerEpoch => _batcher.BatchesPerEpoch;

    /// <inheritdoc/>
    public TranslationBatch Next() => _data.Batch(_batcher.Next());

    /// <inheritdoc/>
    public long CountItems(TranslationBatch batch) => batch?.Size ?? 0;

    /// <inheritdoc/>
    public void SaveState(CheckpointState state) => BatcherCheckpoint.Save(_batcher, state);

    /// <inheritdoc/>
    public void LoadState(CheckpointState state) => BatcherCheckpoint.Load(_batcher, state);
}
