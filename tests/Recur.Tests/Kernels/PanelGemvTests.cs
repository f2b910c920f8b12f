// N output columns (rows of the stored W), K inner dimension
using Recur.Kernels;

namespace Recur.Tests.Kernels;

/// <summary><see cref="PanelGemv"/> against a plain double-precision x W^T, and its split and packing contracts.</summary>
public class PanelGemvTests
{
    private static float[] Random(int seed, int length)
    {
        var rng = new RandomGenerator((ulong)seed);
        return rng.Uniform(-1f, 1f, Math.Max(length, 1)).ToArray()[..length];
    }

    public static TheoryData<int, int> Shapes() => new()
    {
        { 1, 1 }, { 5, 3 }, { 31, 17 }, { 128, 64 }, { 129, 64 }, { 300, 40 }, { 1024, 320 }, { 0, 8 }, { 7, 0 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MatchesThePlainProductOverAnyPanelRange(int n, int k)
    {
        int ldw = k + 3; // rows of W further apart than K
        var w = Random(n * 7 + k, Math.Max(0, ((n - 1) * ldw) + k));
        var x = Random(k * 3 + 1, k);
        var packed = new float[PanelGemv.PackedLength(n, k)];
        Array.Fill(packed, float.NaN); // every element, padding included, must be written
        PanelGemv.Pack(w, n, k, ldw, packed, k, 0);
        Assert.DoesNotContain(packed, float.IsNaN);

        var y = Enumerable.Repeat(float.NaN, n + 2).ToArray();
        PanelGemv.Multiply(packed, n, k, x, y, 0, PanelGemv.Panels(n));
        for (int j = 0; j < n; j++)
        {
            double e = 0;
            for (int p = 0; p < k; p++) e += (double)x[p] * w[(j * ldw) + p];
            Assert.True(Math.Abs(e - y[j]) <= 1e-5 * Math.Max(1, k), $"y[{j}] = {y[j]:G9}, expected {e:G9}");
        }
        Assert.True(float.IsNaN(y[n]) && float.IsNaN(y[n + 1]), "nothing past N is written");

        // Panels computed in separate calls, in any order, give bitwise the same values.
        var split = new float[n];
        for (int q = PanelGemv.Panels(n) - 1; q >= 0; q--) PanelGemv.Multiply(packed, n, k, x, split, q, 1);
        Assert.Equal(y[..n], split);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    public void SeveralRowsGiveBitwiseTheOneRowResults(int m)
    {
        const int n = 300, k = 37, ldx = 41, ldy = 305;
        var w = Random(7, n * k);
        var packed = new float[PanelGemv.PackedLength(n, k)];
        PanelGemv.Pack(w, n, k, k, packed, k, 0);
        var x = Random(8, ((m - 1) * ldx) + k);
        var y = Enumerable.Repeat(float.NaN, ((m - 1) * ldy) + n).ToArray();
        PanelGemv.Multiply(packed, n, k, m, x, ldx, y, ldy, 0, PanelGemv.Panels(n));
        for (int i = 0; i < m; i++)
        {
            var one = new float[n];
            PanelGemv.Multiply(packed, n, k, x.AsSpan(i * ldx, k), one, 0, PanelGemv.Panels(n));
            Assert.Equal(one, y.AsSpan(i * ldy, n).ToArray());
            if (i < m - 1) Assert.All(y.AsSpan((i * ldy) + n, ldy - n).ToArray(), v => Assert.True(float.IsNaN(v), "the gap between rows is not written"));
        }
    }

    [Fact]
    public void TwoMatricesPackedSideBySideMultiplyTheConcatenatedInput()
    {
        const int n = 200, k1 = 24, k2 = 40;
        var w1 = Random(1, n * k1);
        var w2 = Random(2, n * k2);
        var x = Random(3, k1 + k2);
        var packed = new float[PanelGemv.PackedLength(n, k1 + k2)];
        PanelGemv.Pack(w1, n, k1, k1, packed, k1 + k2, 0);
        PanelGemv.Pack(w2, n, k2, k2, packed, k1 + k2, k1);
        var y = new float[n];
        PanelGemv.Multiply(packed, n, k1 + k2, x, y, 0, PanelGemv.Panels(n));
        for (int j = 0; j < n; j++)
        {
            double e = 0;
            for (int p = 0; p < k1; p++) e += (double)x[p] * w1[(j * k1) + p];
            for (int p = 0; p < k2; p++) e += (double)x[k1 + p] * w2[(j * k2) + p];
            Assert.Equal(e, y[j], 1e-4);
        }
    }

    [Fact]
    public void BadArgumentsThrow()
    {
        var packed = new float[PanelGemv.PackedLength(10, 4)];
        Assert.Throws<ArgumentException>(() => PanelGemv.Pack(new float[39], 10, 4, 4, packed, 4, 0));  // W too short
        Assert.Throws<ArgumentException>(() => PanelGemv.Pack(new float[40], 10, 4, 4, packed, 6, 3));  // rows past K
        Assert.Throws<ArgumentException>(() => PanelGemv.Pack(new float[40], 10, 4, 4, new float[3], 4, 0));
        Assert.Throws<ArgumentException>(() => PanelGemv.Multiply(packed, 10, 4, new float[4], new float[10], 0, 2)); // one panel only
        Assert.Throws<ArgumentException>(() => PanelGemv.Multiply(packed, 10, 4, new float[3], new float[10], 0, 1));
        Assert.Throws<ArgumentException>(() => PanelGemv.Multiply(packed, 10, 4, new float[4], new float[9], 0, 1));
        Assert.Throws<ArgumentException>(() => PanelGemv.Multiply(packed, 10, 4, 2, new float[7], 4, new float[20], 10, 0, 1)); // x [2 x 4]
        Assert.Throws<ArgumentException>(() => PanelGemv.Multiply(packed, 10, 4, 2, new float[8], 4, new float[19], 10, 0, 1)); // y [2 x 10]
        Assert.Throws<ArgumentException>(() => PanelGemv.Multiply(packed, 10, 4, 2, new float[8], 3, new float[20], 10, 0, 1)); // ldx < K
    }
}
