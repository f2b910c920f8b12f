namespace Recur.Autograd;

/// <summary>Runs a backward pass over the ops recorded between the leaves and a root variable.</summary>
internal static class Tape
{
    public static void Backward(Variable root, Tensor seed, bool retainGraph = true)
    {
        if (root.IsLeaf)
        {
            AddInto(root.GradBuffer(), seed);
            return;
        }

        // Collect the recorded ops reachable from the root; run them newest first, so every op sees the
        // complete gradient of its output before it runs.
        var ops = new List<(Function Fn, Variable Output)>();
        var seen = new HashSet<Function>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<Variable>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var v = stack.Pop();
            var fn = v.Creator;
            if (fn is null || !seen.Add(fn)) continue;
            ops.Add((fn, v));
            foreach (var input in fn.Inputs)
                if (input.RequiresGrad && input.Creator is not null) stack.Push(input);
        }
        ops.Sort((a, b) => b.Fn.Sequence.CompareTo(a.Fn.Sequence));

        AddInto(root.GradBuffer(), seed);
        foreach (var (fn, output) in ops)
        {
            var dOutput = output.TakePendingGrad(out bool pooled);
            if (dOutput is null) continue; // no path from the root carried a gradient here
            fn.Backward(dOutput);
            if (pooled) System.Buffers.ArrayPool<float>.Shared.Return(dOutput.Storage); // read by this op only
        }
        if (!retainGraph)
        {
            foreach (var (fn, _) in ops) fn.ReleaseGraph();
        }
    }

    private static void AddInto(Tensor destination, Tensor source)
    {
        System.Numerics.Tensors.TensorPrimitives.Add(destination.Span, source.Span, destination.Span);
    }
}
