namespace Recur.Autograd;

/// <summary>
/// A tensor on the autograd tape: its <see cref="Value"/>, and, when it requires a gradient, the
/// gradient accumulated by <see cref="Backward"/> in <see cref="Grad"/> (leaves only; gradients add up
/// across calls until <see cref="ZeroGrad"/>).
/// </summary>
public class Variable
{
    private Tensor? _pendingGrad; // non-leaf gradient, alive during one backward pass only
    private bool _pendingPooled;  // _pendingGrad's storage was rented from the shared pool
    private Variable? _gradBase;  // set for a view whose gradient lives in its base's gradient buffer
    private int _gradOffset;

    /// <summary>Wraps <paramref name="value"/>; a leaf that requires a gradient when <paramref name="requiresGrad"/> is set.</summary>
    public Variable(Tensor value, bool requiresGrad = false)
    {
        ArgumentNullException.ThrowIfNull(value);
        Value = value;
        RequiresGrad = requiresGrad;
    }

    internal Variable(Tensor value, Function creator)
    {
        Value = value;
        RequiresGrad = true;
        Creator = creator;
    }

    /// <summary>The forward value.</summary>
    public Tensor Value { get; }

    /// <summary>
    /// Counts the changes of <see cref="Value"/> made through Recur: optimizer steps, <c>Module.LoadStateDict</c> and
    /// <see cref="MarkChanged"/>. What is built from a value once and reused (a <c>RecurrentStream</c>'s packed
    /// weights) is rebuilt when this number moves.
    /// </summary>
    public long Version => Interlocked.Read(ref _version);

    /// <summary>
    /// Records that <see cref="Value"/> was changed by writing into it directly (its span or storage), so whatever
    /// was built from the old value (a <c>RecurrentStream</c>'s packed weights) is rebuilt before its next use.
    /// </summary>
    public void MarkChanged() => Interlocked.Increment(ref _version);

    private long _version;

    /// <summary>The accumulated gradient of a leaf (null until a backward pass reaches it).</summary>
    public Tensor? Grad { get; set; }

    /// <summary>Whether gradients flow to this variable.</summary>
    public bool RequiresGrad { get; private protected set; }

    /// <summary>True for variables created by the user rather than by an op.</summary>
    public bool IsLeaf => Creator is null;

    /// <summary>The op that produced this variable (null for leaves and for values computed without a tape).</summary>
    internal Function? Creator { get; }

    /// <summary>The dimensions of <see cref="Value"/>.</summary>
    public ReadOnlySpan<int> Shape => Value.Shape;

    /// <summary>Number of dimensions.</summary>
    public int Rank => Value.Rank;

    /// <summary>Size of one dimension (negative counts from the end).</summary>
    public int Size(int dim) => Value.Size(dim);

    /// <summary>A variable that shares this value but has no gradient link (truncated backpropagation).</summary>
    public Variable Detach() => new(Value, requiresGrad: false);

    /// <summary>Clears the accumulated gradient (keeps the buffer, sets it to zero).</summary>
    public void ZeroGrad() => Grad?.Clear();

    /// <summary>
    /// Backpropagates from this variable: every leaf that requires a gradient receives
    /// d(sum(this * <paramref name="gradient"/>)) / d leaf added to its <see cref="Grad"/>.
    /// Without <paramref name="gradient"/> this must hold one element and the seed is 1.
    /// With <paramref name="retainGraph"/> false (the default, as PyTorch's retain_graph) ops free the state they saved
    /// for backward once the pass is done (recurrent layers give their buffers back to a pool for the next forward), and
    /// a second pass through a recurrent layer throws; with true the graph is kept, so a second call adds the same
    /// gradients again.
    /// </summary>
    public void Backward(Tensor? gradient = null, bool retainGraph = false)
    {
        if (!RequiresGrad)
            throw new InvalidOperationException("Backward() was called on a variable that does not require a gradient.");
        if (gradient is null)
        {
            if (Value.Length != 1)
                throw new InvalidOperationException($"Backward() without a gradient needs a one-element output but the shape is {Tensor.FormatShape(Shape)}.");
            gradient = Tensor.Ones(Value.ShapeArray);
        }
        else if (!gradient.SameShape(Value))
        {
            throw new ArgumentException($"Expected a gradient of shape {Tensor.FormatShape(Shape)} but got {Tensor.FormatShape(gradient.Shape)}.", nameof(gradient));
        }
        Tape.Backward(this, gradient, retainGraph);
    }

    /// <summary>The buffer gradients for this variable accumulate into (zero-filled when first needed).</summary>
    internal Tensor GradBuffer()
    {
        if (IsLeaf)
            return Grad ??= new Tensor(Value.ShapeArray);
        if (_pendingGrad is not null) return _pendingGrad;
        if (_gradBase is not null)
        {
            // A view's gradient is the same range of its base's gradient: no buffer of its own, nothing to add back.
            var baseGrad = _gradBase.GradBuffer();
            return _pendingGrad = Tensor.FromStorage(baseGrad.Storage, baseGrad.Offset + _gradOffset, Value.ShapeArray);
        }
        // Large non-leaf gradients live for one op's backward: their storage comes from the shared pool and goes
        // back after that op has run (Tape.Backward), so a training step does not fault fresh pages in every time.
        int length = Value.Length;
        if (length < Tensor.LargeLength) return _pendingGrad = new Tensor(Value.ShapeArray);
        var storage = System.Buffers.ArrayPool<float>.Shared.Rent(length);
        Array.Clear(storage, 0, length);
        _pendingPooled = true;
        return _pendingGrad = Tensor.FromStorage(storage, 0, Value.ShapeArray);
    }

    /// <summary>
    /// Makes this op output's gradient a view of <paramref name="baseVariable"/>'s gradient at
    /// <paramref name="offset"/> (this variable's value being the same range of the base's value), so gradients
    /// accumulate straight into the base's buffer and the creating op's backward has nothing to add.
    /// </summary>
    internal void ShareGradWith(Variable baseVariable, int offset)
    {
        _gradBase = baseVariable;
        _gradOffset = offset;
    }

    /// <summary>Takes this variable's pending gradient; <paramref name="pooled"/>: its storage goes back to the pool after use.</summary>
    internal Tensor? TakePendingGrad(out bool pooled)
    {
        var g = _pendingGrad;
        pooled = _pendingPooled;
        _pendingGrad = null;
        _pendingPooled = false;
        return g;
    }

    /// <summary>A + B with broadcasting.</summary>
    public static Variable operator +(Variable a, Variable b) => Ops.Add(a, b);

    /// <summary>A - B with broadcasting.</summary>
    public static Variable operator -(Variable a, Variable b) => Ops.Sub(a, b);

    /// <summary>A * B elementwise with broadcasting.</summary>
    public static Variable operator *(Variable a, Variable b) => Ops.Mul(a, b);

    /// <summary>c * X.</summary>
    public static Variable operator *(float c, Variable x) => Ops.Scale(x, c);

    /// <summary>-X.</summary>
    public static Variable operator -(Variable x) => Ops.Scale(x, -1f);

    /// <summary>Wraps a tensor as a constant (no gradient).</summary>
    public static implicit operator Variable(Tensor value) => new(value);

    /// <inheritdoc/>
    public override string ToString() => $"Variable({Value})";
}

/// <summary>A trainable variable of a module; always requires a gradient.</summary>
public sealed class Parameter : Variable
{
    /// <summary>Wraps <paramref name="value"/> as a trainable parameter.</summary>
    public Parameter(Tensor value) : base(value, requiresGrad: true) { }

    /// <summary>
    /// Freezes the parameter (<paramref name="frozen"/> true: no gradient reaches it, so optimizers leave it alone) or
    /// makes it trainable again, as PyTorch's <c>requires_grad_(False)</c>; its gradient is dropped when frozen.
    /// </summary>
    public void Freeze(bool frozen = true)
    {
        RequiresGrad = !frozen;
        if (frozen) Grad = null;
    }
}
