// B batch, T time, I input, H hidden, P projection, G gates (LSTM 4H i,f,g,o; GRU 3H r,z,n), L layers, D directions
using Recur.Autograd;

namespace Recur.NN;

/// <summary>
/// A recurrent node computes output, h_n and c_n together as one flat tensor (one tape node, one hand-written
/// backward); this op shows one contiguous range of it with its own shape, sharing memory. Its gradient is the same
/// range of the joint gradient (<see cref="Variable.ShareGradWith"/>): whatever flows into the view lands in the
/// joint buffer directly, so backward has nothing left to do (no buffer of the output's size, no extra pass).
/// </summary>
internal sealed class JointViewFunction : Function
{
    public Variable Forward(Variable joint, int offset, int[] shape)
    {
        var view = Record(Tensor.FromStorage(joint.Value.Storage, joint.Value.Offset + offset, shape), joint);
        if (view.Creator is not null) view.ShareGradWith(joint, offset);
        return view;
    }

    protected internal override void Backward(Tensor dOutput)
    {
        // dOutput is already a view of the joint gradient (see Forward).
    }
}

/// <summary>What a recurrent layer returns: the top layer's outputs and the final states of every layer and direction.</summary>
/// <param name="Output">[T, B, D * Hout] (or [B, T, D * Hout] batch-first, [T, D * Hout] unbatched): h_t of the last
/// layer, both directions concatenated; zero past each sequence's length.</param>
/// <param name="HN">[L * D, B, Hout] (or [L * D, Hout] unbatched): each sequence's state at its own last step, index
/// layer * D + direction.</param>
/// <param name="CN">[L * D, B, H] final cell states (LSTM only, otherwise null).</param>
public readonly record struct RecurrentResult(Variable Output, Variable HN, Variable? CN);
