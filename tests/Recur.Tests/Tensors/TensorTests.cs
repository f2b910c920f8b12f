namespace Recur.Tests.Tensors;

public class TensorTests
{
    [Fact]
    public void ViewsAlongTheLeadingDimensionShareStorage()
    {
        var t = Tensor.FromArray(Enumerable.Range(0, 24).Select(i => (float)i).ToArray(), 2, 3, 4);
        var row = t[1];
        Assert.True(row.HasShape(3, 4));
        Assert.Equal(12f, row[0, 0]);
        row[2, 3] = -1f;
        Assert.Equal(-1f, t[1, 2, 3]);

        var narrow = t[1].Narrow(1, 2);
        Assert.True(narrow.HasShape(2, 4));
        Assert.Equal(16f, narrow.Span[0]);
        narrow.Fill(5f);
        Assert.Equal(5f, t[1, 1, 0]);
        Assert.Equal(20f, t[1, 0, 0] + 8f);
    }

    [Fact]
    public void ReshapeInfersOneDimensionAndChecksCounts()
    {
        var t = Tensor.Zeros(2, 3, 4);
        Assert.True(t.Reshape(-1, 4).HasShape(6, 4));
        Assert.True(t.Reshape(24).HasShape(24));
        var ex = Assert.Throws<ArgumentException>(() => t.Reshape(5, -1));
        Assert.Contains("24", ex.Message);
        Assert.Throws<ArgumentException>(() => t.Reshape(-1, -1));
    }

    [Fact]
    public void BadShapesAndIndicesAreRejected()
    {
        Assert.Throws<ArgumentException>(() => Tensor.Zeros(2, -1));
        var ex = Assert.Throws<ArgumentException>(() => Tensor.FromArray(new float[5], 2, 3));
        Assert.Contains("[2, 3]", ex.Message);
        var t = Tensor.Zeros(2, 3);
        Assert.Throws<ArgumentOutOfRangeException>(() => t[2]);
        Assert.Throws<ArgumentOutOfRangeException>(() => t[0, 3]);
        Assert.Throws<ArgumentOutOfRangeException>(() => t.Narrow(1, 2));
        Assert.Throws<ArgumentException>(() => t.CopyFrom(Tensor.Zeros(3, 2)));
        Assert.Throws<InvalidOperationException>(() => t.ToScalar());
        Assert.Throws<ArgumentException>(() => Tensor.FromStorage(new float[4], 2, 3));
    }

    [Fact]
    public void EmptyAndScalarTensors()
    {
        var e = Tensor.Zeros(0, 5);
        Assert.Equal(0, e.Length);
        Assert.True(e.Narrow(0, 0).HasShape(0, 5));
        var s = Tensor.Scalar(3f);
        Assert.Equal(0, s.Rank);
        Assert.Equal(3f, s.ToScalar());
    }

    [Fact]
    public void CloneIsDeep()
    {
        var t = Tensor.Ones(2, 2);
        var c = t.Clone();
        c.Fill(2f);
        Assert.Equal(1f, t[0, 0]);
    }
}
