using Recur.Data;

namespace Recur.Tests.Data;

public class LabelSetTests
{
    [Theory]
    [InlineData("-1.0000000e+00", "-1")]
    [InlineData("1.0000000e+00", "1")]
    [InlineData(" 2.50 ", "2.5")]
    [InlineData("-0.0", "0")]
    [InlineData("007", "7")]
    [InlineData("pos", "pos")]
    [InlineData(" very positive ", "very positive")]
    [InlineData("NaN", "NaN")]
    public void CanonicalFormIsTheShortestRoundTripOfANumber(string label, string canonical) =>
        Assert.Equal(canonical, LabelSet.Canonical(label));

    [Fact]
    public void NumbersSortNumericallyOtherLabelsOrdinally()
    {
        Assert.Equal(["-1", "1"], new LabelSet(["1.0000000e+00", "-1.0000000e+00", "1"]).Names);
        var numeric = new LabelSet(Enumerable.Range(1, 10).Select(i => i.ToString()).Reverse());
        Assert.Equal(["1", "2", "3", "4", "5", "6", "7", "8", "9", "10"], numeric.Names);
        Assert.True(numeric.IsNumeric);
        var words = new LabelSet(["pos", "neg", "Neutral", "10", "2"]);
        Assert.Equal(["10", "2", "Neutral", "neg", "pos"], words.Names);
        Assert.False(words.IsNumeric);
    }

    [Fact]
    public void IndexOfCanonicalizesAndNamesUnknownLabels()
    {
        var set = new LabelSet(["-1", "1"]);
        Assert.Equal(2, set.Count);
        Assert.Equal(0, set.IndexOf("-1.0000000e+00"));
        Assert.Equal("1", set[1]);
        Assert.True(set.TryIndexOf("1.0", out int i));
        Assert.Equal(1, i);
        Assert.False(set.TryIndexOf("2", out _));
        Assert.False(set.TryIndexOf("", out _));
        var ex = Assert.Throws<InvalidDataException>(() => set.IndexOf("neutral"));
        Assert.Contains("'neutral'", ex.Message);
        Assert.Contains("2 classes: -1, 1", ex.Message);
        Assert.Throws<ArgumentException>(() => new LabelSet([]));
        Assert.Throws<ArgumentException>(() => new LabelSet(["a", " "]));
    }

    [Fact]
    public void RoundTripsThroughJsonKeepingTheSavedOrder()
    {
        var set = new LabelSet(["b", "a", "ü"]);
        Assert.Equal(set.Names, LabelSet.FromJson(set.ToJson()).Names);
        Assert.Equal(["z", "a"], LabelSet.FromJson("{\"labels\": [\"z\", \"a\"]}").Names);
    }

    [Theory]
    [InlineData("nope")]
    [InlineData("{}")]
    [InlineData("{\"labels\": []}")]
    [InlineData("{\"labels\": [\"a\", \"a\"]}")]
    [InlineData("{\"labels\": [\"a\", 1]}")]
    [InlineData("{\"labels\": [\"1.0\"]}")]
    [InlineData("{\"labels\": [\" \"]}")]
    public void StrictJsonRejectsMalformedSets(string json) =>
        Assert.Throws<InvalidDataException>(() => LabelSet.FromJson(json));
}
