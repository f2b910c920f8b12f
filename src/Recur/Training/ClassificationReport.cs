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
