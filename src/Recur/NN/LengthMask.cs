namespace Recur.NN;

/// <summary>The additive mask of a padded batch: 0 on each sequence's valid steps, minus infinity past its length.</summary>
internal static class LengthMask
{
    /// <summary>
    /// The mask [S, B] (<paramref name="timeFirst"/>) or [B, S] for <paramref name="lengths"/> (each from 1 to
    /// <paramref name="steps"/>); a softmax over the steps after adding it gives padded steps exactly zero weight.
    /// </summary>
    /// <exception cref="ArgumentException">A length is outside 1..steps.</exception>
    public static Tensor Build(int[] lengths, int steps, bool timeFirst)
    {
        int batch = lengths.Length;
        var mask = timeFirst ? new Tensor(steps, batch) : new Tensor(batch, steps);
        var m = mask.Span;
        for (int b = 0; b < batch; b++)
        {
            if (lengths[b] < 1 || lengths[b] > steps) throw new ArgumentException($"A sequence length must be from 1 to {steps}, got {lengths[b]}.", nameof(lengths));
            for (int s = lengths[b]; s < steps; s++) m[timeFirst ? (s * batch) + b : (b * steps) + s] = float.NegativeInfinity;
        }
        return mask;
    }
}
