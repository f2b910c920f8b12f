namespace Recur.Training;

/// <summary>
/// Where a <see cref="Trainer"/> takes its training batches from: an endless sequence cut into epochs, whose state
/// (<see cref="ICheckpointable"/>) lets a resumed run see exactly the batches it would have seen.
/// </summary>
/// <typeparam name="TBatch">What one training step consumes.</typeparam>
public interface IBatchSource<TBatch> : ICheckpointable
{
    /// <summary>The next batch (after the last batch of an epoch, the first of the next one).</summary>
    TBatch Next();

    /// <summary>Completed epochs: passes over the data whose last batch has been returned by <see cref="Next"/>.</summary>
    long Epoch { get; }

    /// <summary>Batches per epoch.</summary>
    int BatchesPerEpoch { get; }

    /// <summary>How many items (sequences, characters, tokens: see <see cref="TrainerOptions.ItemName"/>) <paramref name="batch"/> holds, for the throughput.</summary>
    long CountItems(TBatch batch);
}
