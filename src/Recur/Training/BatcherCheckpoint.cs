using Recur.Data;

namespace Recur.Training;

/// <summary>A <see cref="BucketBatcher"/>'s epoch and position in a checkpoint's state, for the batch sources built on it.</summary>
internal static class BatcherCheckpoint
{
    public static void Save(BucketBatcher batcher, CheckpointState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var s = batcher.GetState();
        state.Json["epoch"] = s.Epoch;
        state.Json["position"] = s.Position;
    }

    public static void Load(BucketBatcher batcher, CheckpointState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        try
        {
            batcher.SetState(new BatcherState(state.GetInt64("epoch"), checked((int)state.GetInt64("position"))));
        }
        catch (Exception ex) when (ex is ArgumentOutOfRangeException or OverflowException)
        {
            throw new InvalidDataException($"the saved batch position does not fit this data: {ex.Message}", ex);
        }
    }
}
