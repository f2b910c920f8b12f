namespace Recur.Autograd;

/// <summary>
/// One recorded op: its inputs, and a backward that adds d loss / d input into each input's
/// gradient buffer given d loss / d output.
/// </summary>
public abstract class Function
{
    private static long s_sequence;

    /// <summary>The op's inputs, in order.</summary>
    protected internal Variable[] Inputs { get; private set; } = [];

    /// <summary>Creation order; backward runs newest first.</summary>
    internal long Sequence { get; private set; }

    /// <summary>
    /// Wraps <paramref name="output"/> as the result of this op. When grad mode is off or no input requires a
    /// gradient the result is a plain constant and nothing is recorded.
    /// </summary>
    protected Variable Record(Tensor output, params Variable[] inputs)
    {
        if (!GradMode.IsEnabled) return new Variable(output);
        bool any = false;
        foreach (var v in inputs) any |= v.RequiresGrad;
        if (!any) return new Variable(output);
        Inputs = inputs;
        Sequence = Interlocked.Increment(ref s_sequence);
        return new Variable(output, this);
    }

    /// <summary>True when input <paramref name="index"/> needs a gradient.</summary>
    protected bool NeedsGrad(int index) => Inputs[index].RequiresGrad;

    /// <summary>The accumulation buffer of input <paramref name="index"/>'s gradient.</summary>
    protected Tensor GradOf(int index) => Inputs[index].GradBuffer();

    /// <summary>
    /// Adds d loss / d input to each input that needs it, given d loss / d output. <paramref name="dOutput"/> is
    /// valid during this call only (its storage may be reused afterwards): an op must not keep it.
    /// </summary>
    protected internal abstract void Backward(Tensor dOutput);

    /// <summary>
    /// Frees what only <see cref="Backward"/> reads (called after a backward pass with retainGraph = false).
    /// By default nothing is freed; an op that frees must throw from a later <see cref="Backward"/>.
    /// </summary>
    protected internal virtual void ReleaseGraph()
    {
    }
}
