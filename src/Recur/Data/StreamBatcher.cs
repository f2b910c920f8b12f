// B batch (streams), T time (sequence length)
namespace Recur.Data;

/// <summary>
/// Batches for truncated backpropagation through time, as karpathy/char-rnn: the text is cut into B contiguous
/// streams of S = floor(N / B) characters; each batch takes the next T characters of every stream as inputs and the
/// characters one further on as targets, so the recurrent state of stream b at the end of one batch is the right
/// start for the next. When a stream has fewer than T + 1 characters left, every stream goes back to its start
/// (a new epoch) and the carried state should be reset. The position is all the state there is, so a checkpoint
/// that saves <see cref="Position"/> and <see cref="Epoch"/> resumes the exact sequence of batches.
/// </summary>
public sealed class StreamBatcher
{
    private readonly ReadOnlyMemory<int> _ids;

    /// <summary>Creates the batcher over <paramref name="ids"/>.</summary>
    /// <exception cref="ArgumentException">The text is too short for B streams of T + 1 characters.</exception>
    public StreamBatcher(ReadOnlyMemory<int> ids, int batchSize, int sequenceLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sequenceLength);
        if (ids.Length / batchSize < sequenceLength + 1)
            throw new ArgumentException($"{ids.Length} characters cannot make {batchSize} streams of at least {sequenceLength + 1} characters (sequence length + 1); " +
                $"at least {(long)batchSize * (sequenceLength + 1)} are needed.", nameof(ids));
        _ids = ids;
        BatchSize = batchSize;
        SequenceLength = sequenceLength;
        StreamLength = ids.Length / batchSize;
    }

    /// <summary>B: the number of parallel streams.</summary>
    public int BatchSize { get; }

    /// <summary>T: characters per stream per batch.</summary>
    public int SequenceLength { get; }

    /// <summary>S: characters per stream.</summary>
    public int StreamLength { get; }

    /// <summary>Batches per epoch: floor((S - 1) / T).</summary>
    public int BatchesPerEpoch => (StreamLength - 1) / SequenceLength;

    /// <summary>Offset within each stream of the next batch's first input character.</summary>
    public int Position { get; private set; }

    /// <summary>Completed passes over the text.</summary>
    public long Epoch { get; private set; }

    /// <summary>Moves to a saved position (from <see cref="Position"/> and <see cref="Epoch"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The position is not a batch boundary inside the streams.</exception>
    public void Seek(int position, long epoch)
    {
        if (position < 0 || position % SequenceLength != 0 || position + SequenceLength + 1 > StreamLength)
            throw new ArgumentOutOfRangeException(nameof(position), $"Position {position} is not a batch start of streams of {StreamLength} characters with sequence length {SequenceLength}.");
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        Position = position;
        Epoch = epoch;
    }

    /// <summary>
    /// Writes the next batch: <paramref name="inputs"/> and <paramref name="targets"/> [T, B], element t * B + b being
    /// stream b's character at step t. Returns true when this batch starts a new epoch (the carried state is stale).
    /// </summary>
    public bool Next(Span<int> inputs, Span<int> targets)
    {
        int b = BatchSize, t = SequenceLength;
        if (inputs.Length != b * t || targets.Length != b * t)
            throw new ArgumentException($"Expected inputs and targets of [T, B] = [{t}, {b}] ({t * b} values) but got {inputs.Length} and {targets.Length}.");
        bool wrapped = false;
        if (Position + t + 1 > StreamLength)
        {
            Position = 0;
            Epoch++;
            wrapped = true;
        }
        var ids = _ids.Span;
        for (int s = 0; s < b; s++)
        {
            int start = (s * StreamLength) + Position;
            for (int i = 0; i < t; i++)
            {
                inputs[(i * b) + s] = ids[start + i];
                targets[(i * b) + s] = ids[start + i + 1];
            }
        }
        Position += t;
        return wrapped;
    }
}
