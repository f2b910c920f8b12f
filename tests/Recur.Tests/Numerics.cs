using System.Globalization;

namespace Recur.Tests;

/// <summary>Comparison helpers shared by the numeric tests.</summary>
internal static class Numerics
{
    /// <summary>Asserts max |actual - expected| &lt;= tolerance * max(1, max |expected|); NaN must match NaN.</summary>
    public static void AssertClose(ReadOnlySpan<double> expected, ReadOnlySpan<float> actual, double tolerance, string what)
    {
        Assert.True(expected.Length == actual.Length, $"{what}: expected {expected.Length} values but got {actual.Length}.");
        double scale = 1, worst = 0;
        int worstIndex = -1;
        foreach (double e in expected) if (double.IsFinite(e)) scale = Math.Max(scale, Math.Abs(e));
        for (int i = 0; i < expected.Length; i++)
        {
            if (double.IsNaN(expected[i]) || double.IsNaN(actual[i]))
            {
                Assert.True(double.IsNaN(expected[i]) && float.IsNaN(actual[i]), $"{what}[{i}]: expected {expected[i]} but got {actual[i]}.");
                continue;
            }
            if (double.IsInfinity(expected[i]))
            {
                Assert.True(expected[i] == actual[i], $"{what}[{i}]: expected {expected[i]} but got {actual[i]}.");
                continue;
            }
            double err = Math.Abs(actual[i] - expected[i]);
            if (err > worst) (worst, worstIndex) = (err, i);
        }
        Assert.True(worst <= tolerance * scale,
            string.Create(CultureInfo.InvariantCulture,
                $"{what}: max error {worst:G4} at [{worstIndex}] exceeds {tolerance:G3} x {scale:G4} (expected {(worstIndex >= 0 ? expected[worstIndex] : 0)}, got {(worstIndex >= 0 ? actual[worstIndex] : 0)})."));
    }

    /// <summary><see cref="AssertClose(ReadOnlySpan{double}, ReadOnlySpan{float}, double, string)"/> for float references.</summary>
    public static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double tolerance, string what)
    {
        var e = new double[expected.Length];
        for (int i = 0; i < e.Length; i++) e[i] = expected[i];
        AssertClose(e, actual, tolerance, what);
    }

    /// <summary>Float values widened to double.</summary>
    public static double[] Widen(ReadOnlySpan<float> values)
    {
        var d = new double[values.Length];
        for (int i = 0; i < d.Length; i++) d[i] = values[i];
        return d;
    }

    /// <summary>The gradient of <paramref name="f"/> at <paramref name="at"/> by central differences in double.</summary>
    public static double[] CentralDifferences(double[] at, Func<double[], double> f, double h = 1e-5)
    {
        var x = (double[])at.Clone();
        var grad = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            double keep = x[i];
            x[i] = keep + h;
            double plus = f(x);
            x[i] = keep - h;
            double minus = f(x);
            x[i] = keep;
            grad[i] = (plus - minus) / (2 * h);
        }
        return grad;
    }
}
