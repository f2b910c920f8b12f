// B batch (streams), T time, V vocab
using Recur.Autograd;
using Recur.NN;

namespace Recur.Models;

/// <summary>
/// The model's mean cross-entropy (nats per character) on a text: the text is cut into up to B contiguous streams
/// that run in parallel in chunks of T characters with the state carried between chunks (as in training), and every
/// character but each stream's first is predicted from all the characters before it in its stream.
/// </summary>
public static class CharLmEvaluator
{
    /// <summary>Loss in nats per character over <paramref name="ids"/> (at least 2 characters).</summary>
    public static double Loss(CharLm model, ReadOnlySpan<int> ids, int streams = 128, int chunk = 32)
    {
        if (ids.Length < 2) throw new ArgumentException("At least 2 characters are needed to measure a loss.", nameof(ids));
        int b = Math.Max(1, Math.Min(streams, ids.Length / (chunk + 1)));
        int length = ids.Length / b; // characters per stream
        bool wasTraining = model.IsTraining;
        model.Eval();
        using var _ = GradMode.NoGrad();
        Variable? h = null, c = null;
        double total = 0;
        long count = 0;
        for (int start = 0; start < length - 1; start += chunk)
        {
            int t = Math.Min(chunk, length - 1 - start);
            var inputs = new int[t * b];  // [T, B]
            var targets = new int[t * b]; // [T, B]
            for (int s = 0; s < b; s++)
            {
                for (int i = 0; i < t; i++)
                {
                    inputs[(i * b) + s] = ids[(s * length) + start + i];
                    targets[(i * b) + s] = ids[(s * length) + start + i + 1];
                }
            }
            var (logits, hN, cN) = model.Forward(inputs, t, b, h, c);
            total += CrossEntropyLoss.Compute(logits, targets, reduction: Reduction.Sum).Value.ToScalar();
            count += t * b;
            h = hN;
            c = cN;
        }
        model.Train(wasTraining);
        return total / count;
    }
}
