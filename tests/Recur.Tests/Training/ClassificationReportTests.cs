using Recur.Training;

namespace Recur.Tests.Training;

public class ClassificationReportTests
{
    [Fact]
    public void ScoresAsScikitLearnDoes()
    {
        // Expected values from scikit-learn 1.2.1 (accuracy_score, f1_score average='macro' and 'weighted',
        // precision_recall_fscore_support with zero_division=0) on these labels; class 4 never occurs, class 3 is never
        // predicted.
        int[] truth = [0, 0, 1, 2, 2, 2, 3, 1, 0, 2, 1, 1];
        int[] predicted = [0, 1, 1, 2, 0, 2, 1, 1, 0, 0, 1, 2];
        var r = ClassificationReport.Compute(truth, predicted, classes: 5);
        Assert.Equal(0.5833333333333334, r.Accuracy, 15);
        Assert.Equal(0.45238095238095244, r.MacroF1, 15);
        Assert.Equal(0.5555555555555555, r.WeightedF1, 15);
        Assert.Equal([0.5, 0.6, 2.0 / 3, 0, 0], r.Scores.Select(s => s.Precision), new Tolerance(1e-15));
        Assert.Equal([2.0 / 3, 0.75, 0.5, 0, 0], r.Scores.Select(s => s.Recall), new Tolerance(1e-15));
        Assert.Equal([4.0 / 7, 2.0 / 3, 4.0 / 7, 0, 0], r.Scores.Select(s => s.F1), new Tolerance(1e-15));
        Assert.Equal([3, 4, 4, 1, 0], r.Scores.Select(s => s.Support));
        Assert.Equal(2, r.Confusion[0, 0]);
        Assert.Equal(1, r.Confusion[3, 1]);
        Assert.Equal(12, r.Count);
    }

    [Fact]
    public void PerfectAndEmptyCases()
    {
        var r = ClassificationReport.Compute([1, 0, 1], [1, 0, 1], 2);
        Assert.Equal(1.0, r.Accuracy);
        Assert.Equal(1.0, r.MacroF1);
        Assert.Throws<ArgumentException>(() => ClassificationReport.Compute([], [], 2));
        Assert.Throws<ArgumentException>(() => ClassificationReport.Compute([0, 2], [0, 1], 2));
        Assert.Throws<ArgumentException>(() => ClassificationReport.Compute([0], [0, 1], 2));
    }

    private sealed class Tolerance(double eps) : IEqualityComparer<double>
    {
        public bool Equals(double a, double b) => Math.Abs(a - b) <= eps;

        public int GetHashCode(double v) => 0;
    }
}
