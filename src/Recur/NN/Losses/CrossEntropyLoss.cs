using System.Globalization;
using Recur.Autograd;

namespace Recur.NN;

/// <summary>
/// Cross-entropy between logits and class indices, as PyTorch's <c>nn.CrossEntropyLoss</c>.
/// Logits are [N, C], [N, C, d1, ..., dk] (one distribution per position) or [C] (one example); targets hold
/// one class index per distribution, in row-major order of [N, d1, ..., dk].
/// With log p = log_softmax(logits) over C (max-subtracted), class weights w (1 when absent) and label
/// smoothing e, each non-ignored distribution with target y has
/// <c>loss = (1 - e) * w[y] * (-log p[y]) + e / C * sum_c w[c] * (-log p[c])</c>;
/// a target equal to <see cref="IgnoreIndex"/> gives loss 0 and gradient 0.
/// <see cref="Reduction.Mean"/> divides the sum by <c>sum w[y]</c> over the non-ignored targets (their count
/// without weights), so it is NaN when every target is ignored; <see cref="Reduction.Sum"/> adds up;
/// <see cref="Reduction.None"/> returns one loss per distribution, shape [N, d1, ..., dk] ([] for [C] logits).
/// </summary>
public sealed class CrossEntropyLoss
{
    private readonly float[]? _weight;

    /// <summary>Creates the loss with PyTorch's options and defaults.</summary>
    /// <param name="weight">Optional class weights [C].</param>
    /// <param name="ignoreIndex">Target value that contributes nothing (PyTorch's default -100).</param>
    /// <param name="labelSmoothing">e in [0, 1]: the target distribution is (1 - e) one-hot + e / C uniform.</param>
    /// <param name="reduction">How per-distribution losses combine.</param>
    public CrossEntropyLoss(Tensor? weight = null, long ignoreIndex = -100, double labelSmoothing = 0, Reduction reduction = Reduction.Mean)
    {
        if (weight is not null && weight.Rank != 1)
            throw new ArgumentException($"Class weights must have shape [C] but got {Tensor.FormatShape(weight.Shape)}.", nameof(weight));
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1))
            throw new ArgumentOutOfRangeException(nameof(labelSmoothing), $"Label smoothing must be in [0, 1] but got {labelSmoothing}.");
        if (!Enum.IsDefined(reduction))
            throw new ArgumentOutOfRangeException(nameof(reduction), $"Unknown reduction {reduction}.");
        _weight = weight?.ToArray();
        IgnoreIndex = ignoreIndex;
        LabelSmoothing = labelSmoothing;
        Reduction = reduction;
    }

    /// <summary>A copy of the class weights [C], or null.</summary>
    public Tensor? Weight => _weight is null ? null : Tensor.FromArray((float[])_weight.Clone(), _weight.Length);

    /// <summary>The target value that is skipped.</summary>
    public long IgnoreIndex { get; }

    /// <summary>The label smoothing e in [0, 1].</summary>
    public double LabelSmoothing { get; }

    /// <summary>How per-distribution losses combine.</summary>
    public Reduction Reduction { get; }

    /// <summary>The loss of <paramref name="logits"/> against class indices <paramref name="targets"/>.</summary>
    /// <exception cref="ArgumentException">Shapes disagree, or a target is outside [0, C) and is not the ignore index.</exception>
    public Variable Forward(Variable logits, ReadOnlySpan<long> targets)
    {
        ArgumentNullException.ThrowIfNull(logits);
        var (classes, rowShape) = CheckLogits(logits, targets.Length);
        var rows = new int[targets.Length];
        for (int i = 0; i < rows.Length; i++) rows[i] = CheckTarget(targets[i], i, classes);
        return new CrossEntropyFunction().Forward(logits, rows, _weight, LabelSmoothing, Reduction, rowShape);
    }

    /// <inheritdoc cref="Forward(Variable, ReadOnlySpan{long})"/>
    public Variable Forward(Variable logits, ReadOnlySpan<int> targets)
    {
        ArgumentNullException.ThrowIfNull(logits);
        var (classes, rowShape) = CheckLogits(logits, targets.Length);
        var rows = new int[targets.Length];
        for (int i = 0; i < rows.Length; i++) rows[i] = CheckTarget(targets[i], i, classes);
        return new CrossEntropyFunction().Forward(logits, rows, _weight, LabelSmoothing, Reduction, rowShape);
    }

    /// <summary>One-call form of <c>new CrossEntropyLoss(weight, ignoreIndex, labelSmoothing, reduction).Forward(logits, targets)</c>.</summary>
    public static Variable Compute(Variable logits, ReadOnlySpan<long> targets, Tensor? weight = null, long ignoreIndex = -100,
        double labelSmoothing = 0, Reduction reduction = Reduction.Mean) =>
        new CrossEntropyLoss(weight, ignoreIndex, labelSmoothing, reduction).Forward(logits, targets);

    /// <summary>One-call form of <c>new CrossEntropyLoss(weight, ignoreIndex, labelSmoothing, reduction).Forward(logits, targets)</c>.</summary>
    public static Variable Compute(Variable logits, ReadOnlySpan<int> targets, Tensor? weight = null, long ignoreIndex = -100,
        double labelSmoothing = 0, Reduction reduction = Reduction.Mean) =>
        new CrossEntropyLoss(weight, ignoreIndex, labelSmoothing, reduction).Forward(logits, targets);

    // Returns C and the shape of one loss per distribution: [] for [C], [N] for [N, C], [N, d1..dk] for [N, C, d1..dk].
    private (int Classes, int[] RowShape) CheckLogits(Variable logits, int targetCount)
    {
        var shape = logits.Value.ShapeArray;
        if (shape.Length == 0)
            throw new ArgumentException("Logits must have shape [C], [N, C] or [N, C, d1, ...] but got a scalar.", nameof(logits));
        int classes = shape.Length == 1 ? shape[0] : shape[1];
        if (classes == 0)
            throw new ArgumentException($"Logits {Tensor.FormatShape(shape)} have no classes (C = 0).", nameof(logits));
        int[] rowShape = shape.Length == 1 ? [] : [shape[0], .. shape[2..]];
        int rows = Tensor.ElementCount(rowShape);
        if (targetCount != rows)
            throw new ArgumentException(
                $"Logits {Tensor.FormatShape(shape)} need {rows} targets (shape {Tensor.FormatShape(rowShape)}) but got {targetCount}.", "targets");
        if (_weight is not null && _weight.Length != classes)
            throw new ArgumentException($"Class weights have {_weight.Length} entries but the logits {Tensor.FormatShape(shape)} have C = {classes}.", nameof(logits));
        return (classes, rowShape);
    }

    private int CheckTarget(long target, int position, int classes)
    {
        if (target == IgnoreIndex) return -1;
        if (target < 0 || target >= classes)
            throw new ArgumentException(
                $"Target {target.ToString(CultureInfo.InvariantCulture)} at position {position} is outside [0, {classes}) for C = {classes} classes " +
                $"and is not the ignore index {IgnoreIndex.ToString(CultureInfo.InvariantCulture)}.", "targets");
        return (int)target;
    }
}
