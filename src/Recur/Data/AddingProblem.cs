namespace Recur.Data;

// B batch, T time (sequence length).
/// <summary>
/// The adding problem (Hochreiter &amp; Schmidhuber 1997, in the common form of Le et al. 2015): each step holds a value
/// drawn from U[0, 1] and a marker; exactly two steps are marked, one in the first half and one in the second half;
/// the target is the sum of the two marked values. Always predicting 1 gives a mean squared error of 1/6 (~0.167).
/// </summary>
public static class AddingProblem
{
    /// <summary>MSE of always predicting the mean target 1: the variance of a sum of two U[0, 1] values, 2/12.</summary>
    public const double BaselineMse = 1.0 / 6.0;

    /// <summary>
    /// Fills a batch: <paramref name="inputs"/> [T, B, 2] (value, marker) in time-major order and
    /// <paramref name="targets"/> [B].
    /// </summary>
    public static void Fill(RandomGenerator rng, int length, int batch, Span<float> inputs, Span<float> targets)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (length < 2) throw new ArgumentOutOfRangeException(nameof(length), $"The adding problem needs a length of at least 2, got {length}.");
        if (batch < 1) throw new ArgumentOutOfRangeException(nameof(batch), $"Expected a positive batch size, got {batch}.");
        if (inputs.Length != length * batch * 2)
            throw new ArgumentException($"Expected inputs of {length * batch * 2} elements ([{length}, {batch}, 2]) but got {inputs.Length}.", nameof(inputs));
        if (targets.Length != batch)
            throw new ArgumentException($"Expected targets of {batch} elements but got {targets.Length}.", nameof(targets));
        int half = length / 2;
        for (int b = 0; b < batch; b++)
        {
            for (int t = 0; t < length; t++)
            {
                int i = (t * batch + b) * 2;
                inputs[i] = rng.NextSingle();
                inputs[i + 1] = 0f;
            }
            int first = rng.NextInt(half);
            int second = half + rng.NextInt(length - half);
            inputs[(first * batch + b) * 2 + 1] = 1f;
            inputs[(second * batch + b) * 2 + 1] = 1f;
            targets[b] = inputs[(first * batch + b) * 2] + inputs[(second * batch + b) * 2];
        }
    }

    /// <summary>A new batch as tensors: inputs [T, B, 2] and targets [B, 1].</summary>
    public static (Tensor Inputs, Tensor Targets) Batch(RandomGenerator rng, int length, int batch)
    {
        var x = new Tensor(length, batch, 2);
        var y = new Tensor(batch, 1);
        Fill(rng, length, batch, x.Span, y.Span);
        return (x, y);
    }
}
