namespace Recur.NN;

/// <summary>How a loss combines its per-element values, as PyTorch's <c>reduction</c> argument.</summary>
public enum Reduction
{
    /// <summary>No reduction: one loss per element (per row for cross-entropy).</summary>
    None,

    /// <summary>The mean of the per-element losses (cross-entropy: weighted mean, see <see cref="CrossEntropyLoss"/>).</summary>
    Mean,

    /// <summary>The sum of the per-element losses.</summary>
    Sum,
}
