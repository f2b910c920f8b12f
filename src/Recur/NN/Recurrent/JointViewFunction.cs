// B batch, T time, I input, H hidden, P projection, G gates (LSTM 4H i,f,g,o; GRU 3H r,z,n), L layers, D directions
using System.Numerics.Tensors;
using Recur.Autograd;

namespace Recur.NN;

/// <summary>
/// A recurrent node computes output, h_n and c_n together as one flat tensor (one tape node, one hand-written
/// backward); this op shows one contiguous range of it with its own shape, sharing memory. Backward adds dY into
/// that range of the joint gradient.
/// </summary>
internal sealed class JointViewFunction : Function
{
    private int _offset;

    public Variable Forward(Variable joint, int offset, int[] shape)
    {
        _offset = offset;
        return Record(Tensor.FromStorage(joint.Value.Storage, joint.Value.Offset + offset, shape), joint);
    }

    protected internal override void Backward(Tensor dOutput)
    {
        var d = GradOf(0).Span.Slice(_offset, dOutput.Length);
        TensorPrimitives.Add(d, dOutput.Span, d);
    }
}

/// <summary>What a recurrent layer returns: the top layer's outputs and the final states of every layer and direction.</summary>
/// <param name="Output">[T, B, D * Hout] (or [B, T, D * Hout] batch-first, [T, D * Hout] unbatched): h_t of the last
/// layer, both directions concatenated; zero past each sequence's length.</param>
/// <param name="HN">[L * D, B, Hout] (or [L * D, Hout] unbatched): each sequence's state at its own last step, index
/// layer * D + direction.</param>
/// <param name="CN">[L * D, B, H] final cell states (LSTM only, otherwise null).</param>
public readonly record struct RecurrentResult(Variable Output, Variable HN, Variable? CN);
