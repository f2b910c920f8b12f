using Recur.Data;

namespace Recur.Tests.Data;

public class CharDataTests
{
    [Fact]
    public void VocabularyIsSortedEncodesDecodesAndRoundTripsThroughJson()
    {
        var v = CharVocabulary.FromText("hello, world\n\"é\uD83D\uDE00");
        Assert.Equal(v.Chars.ToArray().Order().ToArray(), v.Chars.ToArray());
        int[] ids = v.Encode("world");
        Assert.Equal("world", v.Decode(ids));
        var back = CharVocabulary.FromJson(v.ToJson());
        Assert.Equal(v.Chars.ToArray(), back.Chars.ToArray());
        var ex = Assert.Throws<ArgumentException>(() => v.Encode("hex"));
        Assert.Contains("'x' (U+0078) at position 2", ex.Message);
        Assert.Throws<InvalidDataException>(() => CharVocabulary.FromJson("{\"chars\": [65, 65]}"));
        Assert.Throws<InvalidDataException>(() => CharVocabulary.FromJson("not json"));
    }

    [Fact]
    public void CorpusSplitsNinetyTenAndRejectsBinaryFiles()
    {
        var c = TextCorpus.FromText(new string('a', 95) + new string('b', 5));
        Assert.Equal(90, c.TrainLength);
        Assert.Equal(10, c.ValidationLength);
        Assert.True(c.UnigramValidationLoss() > 0);
        string file = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(file, [0xEF, 0xBB, 0xBF, (byte)'h', (byte)'i']);
            Assert.Equal("hi", TextCorpus.ReadText(file));
            File.WriteAllBytes(file, [(byte)'a', 0, (byte)'b']);
            Assert.Contains("binary", Assert.Throws<InvalidDataException>(() => TextCorpus.ReadText(file)).Message);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void BatcherWalksContiguousStreamsAndWrapsToANewEpoch()
    {
        int[] ids = Enumerable.Range(0, 100).ToArray();
        var b = new StreamBatcher(ids, batchSize: 4, sequenceLength: 5); // streams of 25: 0.., 25.., 50.., 75..
        Assert.Equal(25, b.StreamLength);
        Assert.Equal(4, b.BatchesPerEpoch);
        var x = new int[20];
        var y = new int[20];
        Assert.False(b.Next(x, y));
        Assert.Equal([0, 25, 50, 75], x[..4]);    // t = 0, every stream
        Assert.Equal([1, 26, 51, 76], y[..4]);
        Assert.Equal([4, 29, 54, 79], x[16..20]); // t = 4
        for (int i = 0; i < 3; i++) Assert.False(b.Next(x, y));
        Assert.Equal([19, 44, 69, 94], x[16..20]);
        Assert.True(b.Next(x, y));                // 20 + 5 + 1 > 25: back to the start
        Assert.Equal(1, b.Epoch);
        Assert.Equal([0, 25, 50, 75], x[..4]);

        var resumed = new StreamBatcher(ids, 4, 5);
        resumed.Seek(b.Position, b.Epoch);
        var x2 = new int[20];
        b.Next(x, y);
        resumed.Next(x2, new int[20]);
        Assert.Equal(x, x2);
        Assert.Throws<ArgumentOutOfRangeException>(() => resumed.Seek(3, 0));
        Assert.Throws<ArgumentException>(() => new StreamBatcher(ids, 20, 5));
    }
}
