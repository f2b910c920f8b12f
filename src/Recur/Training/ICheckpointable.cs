using System.Text.Json.Nodes;

namespace Recur.Training;

/// <summary>
/// Something whose state a checkpoint must hold so that a resumed run continues exactly: a batch source's position
/// in its epoch, a recurrent state carried from one batch to the next. The trainer saves it under the name it was
/// tracked with (<see cref="Trainer.Track(string, ICheckpointable)"/>).
/// </summary>
public interface ICheckpointable
{
    /// <summary>Writes the current state into <paramref name="state"/>.</summary>
    void SaveState(CheckpointState state);

    /// <summary>Restores the state <see cref="SaveState"/> wrote.</summary>
    /// <exception cref="InvalidDataException">The state does not fit (the message says why).</exception>
    void LoadState(CheckpointState state);
}

/// <summary>One component's saved state: JSON values (in <c>trainer.json</c>) and tensors (in <c>state.safetensors</c>).</summary>
public sealed class CheckpointState
{
    /// <summary>Creates an empty state, or one holding <paramref name="json"/> and <paramref name="tensors"/>.</summary>
    public CheckpointState(JsonObject? json = null, IDictionary<string, Tensor>? tensors = null)
    {
        Json = json ?? [];
        Tensors = tensors is null ? new Dictionary<string, Tensor>(StringComparer.Ordinal) : new Dictionary<string, Tensor>(tensors, StringComparer.Ordinal);
    }

    /// <summary>Small values: positions, counts, flags.</summary>
    public JsonObject Json { get; }

    /// <summary>Arrays: carried states and the like.</summary>
    public Dictionary<string, Tensor> Tensors { get; }

    /// <summary>The integer called <paramref name="name"/>.</summary>
    /// <exception cref="InvalidDataException">It is missing or not an integer.</exception>
    public long GetInt64(string name)
    {
        try
        {
            var node = Json[name] ?? throw new InvalidDataException($"the saved state has no \"{name}\".");
            // A state read from a file holds JSON numbers; one still in memory may hold the int it was given.
            return node is JsonValue v && v.TryGetValue(out int i) ? i : node.GetValue<long>();
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException)
        {
            throw new InvalidDataException($"the saved state's \"{name}\" is not an integer.", ex);
        }
    }
}
