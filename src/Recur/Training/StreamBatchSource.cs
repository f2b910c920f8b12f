// B batch (streams), T time (sequence length)
using System.Text.Json.Nodes;
using Recur.Data;

namespace Recur.Training;

/// <summary>One batch of a <see cref="StreamBatchSource"/>: inputs and targets [T, B] (element t * B + b), and whether it starts a new pass.</summary>
/// <param name="Inputs">[T, B] ids.</param>
/// <param name="Targets">[T, B] ids, each input's successor.</param>
/// <param name="Steps">T.</param>
/// <param name="Batch">B.</param>
/// <param name="StartsEpoch">True when the streams went back to their starts for this batch, so a carried state is stale.</param>
public sealed record StreamBatch(int[] Inputs, int[] Targets, int Steps, int Batch, bool StartsEpoch);

/// <summary>
/// The batches of a <see cref="StreamBatcher"/> (truncated BPTT over B contiguous streams, as char-rnn) for a
/// <see cref="Trainer"/>; its state is the batcher's position, so a resumed run sees the same batches. The batch
/// arrays are reused from one call of <see cref="Next"/> to the next.
/// </summary>
public sealed class StreamBatchSource : IBatchSource<StreamBatch>
{
    private readonly StreamBatcher _batcher;
    private readonly int[] _inputs;  // [T, B]
    private readonly int[] _targets; // [T, B]

    /// <summary>Cuts <paramref name="ids"/> into <paramref name="batchSize"/> streams read <paramref name="sequenceLength"/> at a time.</summary>
    public StreamBatchSource(ReadOnlyMemory<int> ids, int batchSize, int sequenceLength)
    {
        _batcher = new StreamBatcher(ids, batchSize, sequenceLength);
        _inputs = new int[batchSize * sequenceLength];
        _targets = new int[_inputs.Length];
    }

    /// <inheritdoc/>
    public long Epoch => _batcher.Epoch + (_batcher.Position + _batcher.SequenceLength + 1 > _batcher.StreamLength ? 1 : 0);

    /// <inheritdoc/>
    public int BatchesPerEpoch => _batcher.BatchesPerEpoch;

    /// <inheritdoc/>
    public StreamBatch Next()
    {
        bool wrapped = _batcher.Next(_inputs, _targets);
        return new StreamBatch(_inputs, _targets, _batcher.SequenceLength, _batcher.BatchSize, wrapped);
    }

    /// <inheritdoc/>
    public long CountItems(StreamBatch batch) => batch?.Inputs.Length ?? 0;

    /// <inheritdoc/>
    public void SaveState(CheckpointState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        state.Json["position"] = _batcher.Position;
        state.Json["epoch"] = _batcher.Epoch;
    }

    /// <inheritdoc/>
    public void LoadState(CheckpointState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        try
        {
            _batcher.Seek(checked((int)state.GetInt64("position")), state.GetInt64("epoch"));
        }
        catch (Exception ex) when (ex is ArgumentOutOfRangeException or OverflowException)
        {
            throw new InvalidDataException($"the saved stream position does not fit this data: {ex.Message}", ex);
        }
    }
}
