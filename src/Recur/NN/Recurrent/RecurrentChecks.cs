// B batch, T time, I input, H hidden, P projection, G gates (LSTM 4H i,f,g,o; GRU 3H r,z,n), L layers, D directions
using Recur.Autograd;

namespace Recur.NN;

/// <summary>Argument checks of the recurrent modules; each message names the expected and the actual value.</summary>
internal static class RecurrentChecks
{
    /// <summary>
    /// Batched input is [T, B, I] ([B, T, I] when batch-first), unbatched input [T, I]. Returns T, B (1 when
    /// unbatched) and whether the input is unbatched.
    /// </summary>
    public static (int Steps, int Batch, bool Unbatched) SequenceInput(string module, Variable input, int inputSize, bool batchFirst)
    {
        ArgumentNullException.ThrowIfNull(input);
        string layout = batchFirst ? "[B, T, I]" : "[T, B, I]";
        if (input.Rank is not (2 or 3))
            throw new ArgumentException($"{module} expects input of rank 3 {layout} or rank 2 [T, I] (unbatched) but got rank {input.Rank}, shape {Tensor.FormatShape(input.Shape)}.", nameof(input));
        if (input.Size(-1) != inputSize)
            throw new ArgumentException($"{module} expects {inputSize} input features (I, the last dimension of {layout} or [T, I]) but got {input.Size(-1)}, shape {Tensor.FormatShape(input.Shape)}.", nameof(input));
        bool unbatched = input.Rank == 2;
        int steps = unbatched || !batchFirst ? input.Size(0) : input.Size(1);
        int batch = unbatched ? 1 : batchFirst ? input.Size(0) : input.Size(1);
        if (steps < 1)
            throw new ArgumentException($"{module} expects at least 1 time step (T) but got {steps}, shape {Tensor.FormatShape(input.Shape)}.", nameof(input));
        if (batch < 1)
            throw new ArgumentException($"{module} expects at least 1 sequence (B) but got {batch}, shape {Tensor.FormatShape(input.Shape)}.", nameof(input));
        return (steps, batch, unbatched);
    }

    /// <summary>Cell input is [B, I], or [I] unbatched. Returns B (1 when unbatched) and whether it is unbatched.</summary>
    public static (int Batch, bool Unbatched) CellInput(string module, Variable input, int inputSize)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank is not (1 or 2))
            throw new ArgumentException($"{module} expects input of rank 2 [B, I] or rank 1 [I] (unbatched) but got rank {input.Rank}, shape {Tensor.FormatShape(input.Shape)}.", nameof(input));
        if (input.Size(-1) != inputSize)
            throw new ArgumentException($"{module} expects {inputSize} input features (I, the last dimension) but got {input.Size(-1)}, shape {Tensor.FormatShape(input.Shape)}.", nameof(input));
        int batch = input.Rank == 1 ? 1 : input.Size(0);
        if (batch < 1)
            throw new ArgumentException($"{module} expects at least 1 row (B) but got {batch}, shape {Tensor.FormatShape(input.Shape)}.", nameof(input));
        return (batch, input.Rank == 1);
    }

    /// <summary>The packed layout of <paramref name="lengths"/> (null: every sequence runs all T steps).</summary>
    public static SequenceLayout Layout(int steps, int batch, int[]? lengths)
    {
        if (lengths is null) return SequenceLayout.Dense(steps, batch);
        if (lengths.Length != batch)
            throw new ArgumentException($"lengths has {lengths.Length} entries but the batch has B = {batch} sequences.", nameof(lengths));
        for (int b = 0; b < lengths.Length; b++)
            if (lengths[b] < 1 || lengths[b] > steps)
                throw new ArgumentException($"lengths[{b}] = {lengths[b]} is outside [1, T = {steps}].", nameof(lengths));
        return SequenceLayout.FromLengths(steps, lengths);
    }

    /// <summary>Throws unless <paramref name="state"/> is null or has exactly the expected shape.</summary>
    public static void State(string module, string name, Variable? state, int[] expected, string legend)
    {
        if (state is null || state.Value.HasShape(expected)) return;
        throw new ArgumentException($"{module} expects {name} of shape {Tensor.FormatShape(expected)} {legend} but got {Tensor.FormatShape(state.Shape)}.", name);
    }

    /// <summary>
    /// Throws unless <paramref name="destination"/> is null or has exactly the expected shape and shares no storage
    /// with any of <paramref name="others"/> (the arguments it would overwrite while they are read).
    /// </summary>
    public static void Destination(string module, string name, Tensor? destination, int[] expected, Tensor?[] others)
    {
        if (destination is null) return;
        if (!destination.HasShape(expected))
            throw new ArgumentException($"{module} expects {name} of shape {Tensor.FormatShape(expected)} but got {Tensor.FormatShape(destination.Shape)}.", name);
        foreach (var other in others)
            if (other is not null && ReferenceEquals(other.Storage, destination.Storage))
                throw new ArgumentException($"{module}: {name} shares memory with another argument; pass a tensor of its own.", name);
    }

    /// <summary>The error for a cell state given to a module without one (RNN, GRU).</summary>
    public static ArgumentException NoCellState(string module, string name, Tensor state) =>
        new($"{module} has no cell state: expected {name} = null but got shape {Tensor.FormatShape(state.Shape)}.", name);
}
