// N examples, C classes
namespace Recur.Training;

/// <summary>One class's scores in a <see cref="ClassificationReport"/>.</summary>
/// <param name="Precision">Correct predictions of the class / predictions of it (0 when it is never predicted).</param>
/// <param name="Recall">Correct predictions of the class / examples of it (0 when it has none).</param>
/// <param name="F1">2 P R / (P + R) (0 when both are 0).</param>
/// <param name="Support">Examples of the class.</param>
public readonly record struct ClassScores(double Precision, double Recall, double F1, int Support);

/// <summary>
/// Accuracy, per-class precision / recall / F1, macro-F1 and the confusion matrix of predicted against true classes,
/// as scikit-learn's <c>classification_report</c> computes them: a ratio with a zero denominator is 0, and the
/// macro average runs over the classes that occur among the true or the predicted labels.
/// </summary>
public sealed class ClassificationReport
{
    private ClassificationReport(int[,] confusion, ClassScores[] scores, double accuracy, double macroF1, double weightedF1, int count)
    {
        Confusion = confusion;
        Scores = scores;
        Accuracy = accuracy;
        MacroF1 = macroF1;
        WeightedF1 = weightedF1;
        Count = count;
    }

    /// <summary>[C, C]: element [t, p] counts examples of true class t predicted as p.</summary>
    public int[,] Confusion { get; }

    /// <summary>Each class's scores, by class index.</summary>
    public IReadOnlyList<ClassScores> Scores { get; }

    /// <summary>Correct predictions / N.</summary>
    public double Accuracy { get; }

    /// <summary>The mean F1 over the classes that occur (in the truth or the predictions).</summary>
    public double MacroF1 { get; }

    /// <summary>The mean F1 weighted by support.</summary>
    public double WeightedF1 { get; }

    /// <summary>N: the examples scored.</summary>
    public int Count { get; }

    /// <summary>
    /// Scores the most likely class of each row of <paramref name="logits"/> ([N][C]) against <paramref name="truth"/>,
    /// and gives the mean cross-entropy (nats, computed in double through a max-subtracted log-sum-exp) in
    /// <paramref name="crossEntropy"/>.
    /// </summary>
    public static ClassificationReport FromLogits(IReadOnlyList<float[]> logits, IReadOnlyList<int> truth, int classes, out double crossEntropy)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(truth);
        if (logits.Count != truth.Count) throw new ArgumentException($"Expected as many rows of logits as true labels, got {logits.Count} and {truth.Count}.");
        var predicted = new int[logits.Count];
        double total = 0;
        for (int i = 0; i < logits.Count; i++)
        {
            var row = logits[i];
            if (row.Length != classes) throw new ArgumentException($"Row {i} has {row.Length} logits, not {classes}.");
            int best = 0;
            for (int c = 1; c < classes; c++) if (row[c] > row[best]) best = c;
            predicted[i] = best;
            double sum = 0;
            for (int c = 0; c < classes; c++) sum += Math.Exp((double)row[c] - row[best]);
            if ((uint)truth[i] < (uint)classes) total += row[best] + Math.Log(sum) - row[truth[i]];
        }
        crossEntropy = total / Math.Max(1, logits.Count);
        return Compute(truth.ToArray(), predicted, classes);
    }

    /// <summary>The most likely class of each row of <paramref name="logits"/>.</summary>
    public static int[] ArgMax(IReadOnlyList<float[]> logits)
    {
        ArgumentNullException.ThrowIfNull(logits);
        var result = new int[logits.Count];
        for (int i = 0; i < result.Length; i++)
        {
            var row = logits[i];
            for (int c = 1; c < row.Length; c++) if (row[c] > row[result[i]]) result[i] = c;
        }
        return result;
    }

    /// <summary>Scores <paramref name="predicted"/> against <paramref name="truth"/> (class indices below <paramref name="classes"/>).</summary>
    /// <exception cref="ArgumentException">The lengths differ, there are no examples, or an index is out of range.</exception>
    public static ClassificationReport Compute(ReadOnlySpan<int> truth, ReadOnlySpan<int> predicted, int classes)
    {
        if (truth.Length != predicted.Length) throw new ArgumentException($"Expected as many predictions as true labels, got {predicted.Length} and {truth.Length}.");
        if (truth.IsEmpty) throw new ArgumentException("There are no examples to score.");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classes);
        var confusion = new int[classes, classes];
        int correct = 0;
        for (int i = 0; i < truth.Length; i++)
        {
            if ((uint)truth[i] >= (uint)classes || (uint)predicted[i] >= (uint)classes)
                throw new ArgumentException($"Example {i} has class {truth[i]} / prediction {predicted[i]} outside [0, {classes}).");
            confusion[truth[i], predicted[i]]++;
            if (truth[i] == predicted[i]) correct++;
        }
        var scores = new ClassScores[classes];
        double macro = 0, weighted = 0;
        int present = 0;
        for (int c = 0; c < classes; c++)
        {
            int tp = confusion[c, c], support = 0, predictedCount = 0;
            for (int k = 0; k < classes; k++)
            {
                support += confusion[c, k];
                predictedCount += confusion[k, c];
            }
            double p = predictedCount == 0 ? 0 : (double)tp / predictedCount;
            double r = support == 0 ? 0 : (double)tp / support;
            double f1 = p + r == 0 ? 0 : 2 * p * r / (p + r);
            scores[c] = new ClassScores(p, r, f1, support);
            if (support > 0 || predictedCount > 0)
            {
                macro += f1;
                present++;
            }
            weighted += f1 * support;
        }
        return new ClassificationReport(confusion, scores, (double)correct / truth.Length, macro / Math.Max(1, present), weighted / truth.Length, truth.Length);
    }
}
