// B batch, T time, I input, H hidden, P projection, G gates (LSTM 4H i,f,g,o; GRU 3H r,z,n), L layers, D directions

namespace Recur.Kernels.Recurrent;

/// <summary>Length checks for the public kernel entry points.</summary>
internal static class SpanChecks
{
    public static void Sizes(int batch, int hidden)
    {
        if (batch < 0) throw new ArgumentOutOfRangeException(nameof(batch), $"Expected a non-negative batch size but got {batch}.");
        if (hidden < 0) throw new ArgumentOutOfRangeException(nameof(hidden), $"Expected a non-negative hidden size but got {hidden}.");
        if ((long)batch * hidden * 4 > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(hidden), $"A batch of {batch} rows of {hidden} hidden units is too large.");
    }

    /// <summary>Throws unless <paramref name="length"/> is at least <paramref name="needed"/>.</summary>
    public static void AtLeast(int length, int needed, string name, string shape)
    {
        if (length < needed)
            throw new ArgumentException($"{name} must hold {shape} = {needed} elements but has {length}.", name);
    }

    /// <summary>Throws unless a bias has <paramref name="needed"/> elements or none.</summary>
    public static void BiasOrEmpty(int length, int needed, string name, string shape)
    {
        if (length != 0 && length != needed)
            throw new ArgumentException($"{name} must be empty (no bias) or hold {shape} = {needed} elements but has {length}.", name);
    }
}
