// T time, B batch, F features (D * Hout of the recurrent stack), A attention size, L layers, D directions
using Recur.Autograd;

namespace Recur.NN;

/// <summary>How <see cref="SequencePooling"/> turns a sequence of outputs into one vector.</summary>
public enum PoolingMode
{
    /// <summary>The final state of each direction of the top layer (forward: the last valid step; backward: step 0), concatenated.</summary>
    Last,

    /// <summary>The mean over the valid steps.</summary>
    Mean,

    /// <summary>The element-wise maximum over the valid steps.</summary>
    Max,

    /// <summary>
    /// Additive attention (Bahdanau-style scoring, as in Yang et al. 2016): e_t = v^T tanh(W h_t + b), weights =
    /// softmax over the valid steps (padded steps get exactly zero), output = sum_t weight_t h_t.
    /// </summary>
    Attention,
}

/// <summary>
/// Pools the outputs of a recurrent stack over time, respecting each sequence's length. In attention mode it owns
/// <c>attention.weight</c> [A, F], <c>attention.bias</c> [A] and <c>context.weight</c> [1, A] (v), and keeps the last
/// forward's weights [T, B] in <see cref="LastWeights"/> for inspection.
/// </summary>
public sealed class SequencePooling : Module
{
    /// <summary>Creates the pooling over <paramref name="features"/> features; attention mode draws its weights from <paramref name="rng"/>.</summary>
    public SequencePooling(PoolingMode mode, int features, int attentionSize = 64, RandomGenerator? rng = null)
    {
        if (features <= 0) throw new ArgumentOutOfRangeException(nameof(features), $"Expected a positive feature count but got {features}.");
        Mode = mode;
        Features = features;
        if (mode != PoolingMode.Attention) return;
        if (attentionSize <= 0) throw new ArgumentOutOfRangeException(nameof(attentionSize), $"Expected a positive attention size but got {attentionSize}.");
        Attention = RegisterModule("attention", new Linear(features, attentionSize, rng: rng));
        Context = RegisterModule("context", new Linear(attentionSize, 1, bias: false, rng: rng));
    }

    /// <summary>The pooling mode.</summary>
    public PoolingMode Mode { get; }

    /// <summary>F: features of each step.</summary>
    public int Features { get; }

    /// <summary>W, b of the attention scores (attention mode).</summary>
    public Linear? Attention { get; }

    /// <summary>v of the attention scores (attention mode).</summary>
    public Linear? Context { get; }

    /// <summary>The attention weights [T, B] of the last forward (attention mode; zero past each length).</summary>
    public Tensor? LastWeights { get; private set; }

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"mode={Mode.ToString().ToLowerInvariant()}, features={Features}";

    /// <summary>
    /// Pools <paramref name="output"/> [T, B, F] (zero past each length, as a recurrent stack's packed output) over
    /// the valid steps given by <paramref name="lengths"/> into [B, F]. <see cref="PoolingMode.Last"/> reads
    /// <paramref name="hN"/> [L * D, B, F / D] instead, the stack's final states.
    /// </summary>
    public Variable Forward(Variable output, int[] lengths, Variable? hN = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(lengths);
        if (output.Rank != 3 || output.Size(2) != Features)
            throw new ArgumentException($"Pooling expects outputs [T, B, {Features}] but got {Tensor.FormatShape(output.Shape)}.", nameof(output));
        int steps = output.Size(0), batch = output.Size(1);
        switch (Mode)
        {
            case PoolingMode.Max:
                return Ops.MaxOverTime(output, lengths);
            case PoolingMode.Mean:
                return Ops.MeanOverTime(output, lengths);
            case PoolingMode.Last:
            {
                ArgumentNullException.ThrowIfNull(hN);
                int perDirection = hN.Size(2), directions = Features / perDirection;
                if (hN.Rank != 3 || directions * perDirection != Features || hN.Size(0) < directions)
                    throw new ArgumentException($"Last-state pooling expects h_n [L * D, B, F / D] for F = {Features} but got {Tensor.FormatShape(hN.Shape)}.", nameof(hN));
                var top = Ops.Slice(hN, 0, hN.Size(0) - directions, directions);              // [D, B, H]
                return Ops.Reshape(Ops.Transpose(top, 0, 1), batch, Features);                 // [B, D * H]
            }
            default:
            {
                if (lengths.Length != batch) throw new ArgumentException($"Pooling got {lengths.Length} lengths for a batch of {batch}.", nameof(lengths));
                var mask = LengthMask.Build(lengths, steps, timeFirst: true); // [T, B]: 0 on valid steps, -inf on padding
                var scores = Ops.Reshape(Context!.Forward(Ops.Tanh(Attention!.Forward(output))), steps, batch); // [T, B]
                var weights = Ops.Softmax(Ops.Add(scores, mask), dim: 0);                                       // [T, B]
                LastWeights = weights.Value;
                return Ops.Sum(Ops.Mul(output, Ops.Reshape(weights, steps, batch, 1)), 0);                       // [B, F]
            }
        }
    }
}
