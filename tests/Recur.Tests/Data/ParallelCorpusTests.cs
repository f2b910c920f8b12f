using Recur.Data;

namespace Recur.Tests.Data;

/// <summary>Parallel text (Tatoeba lines, aligned files), the Chinese tokenizer and a vocabulary with reserved tokens.</summary>
public sealed class ParallelCorpusTests : IDisposable
{
    private readonly DataTempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void TatoebaLinesGiveTheirTwoSentencesAndLineNumbers()
    {
        string path = _dir.Write("cmn.txt", "Hi.\t嗨。\tCC-BY 2.0 (France) Attribution: tatoeba.org #538123 (CM)\r\n\nRun.\t你用跑的。\t#4008918\nWait!\t等等！");
        var pairs = ParallelCorpus.ReadTabSeparated(path);
        Assert.Equal([new SentencePair("Hi.", "嗨。", 1), new SentencePair("Run.", "你用跑的。", 3), new SentencePair("Wait!", "等等！", 4)], pairs);
    }

    [Theory]
    [InlineData("Hi.\t嗨。\nno tab here\n", "line 2: no tab between the two sentences in 'no tab here'")]
    [InlineData("Hi.\t嗨。\n\t你好\n", "line 2: the first sentence is empty")]
    [InlineData("Hi. \t  \tattribution\n", "line 1: the second sentence is empty")]
    [InlineData("\n  \n", "has only blank lines")]
    public void BadLinesAreNamed(string content, string fragment)
    {
        string path = _dir.Write("bad.txt", content);
        var e = Assert.Throws<InvalidDataException>(() => ParallelCorpus.ReadTabSeparated(path));
        Assert.Contains(fragment, e.Message);
        Assert.StartsWith(path, e.Message);
    }

    [Fact]
    public void OtherEncodingsAndEmptyFilesAreRefused()
    {
        string latin1 = _dir.WriteBytes("latin1.txt", [0x63, 0x61, 0x66, 0xE9, 0x09, 0x41, 0x0A]); // "café\tA" in Latin-1
        Assert.Contains("line 1", Assert.Throws<InvalidDataException>(() => ParallelCorpus.ReadTabSeparated(latin1)).Message);
        string utf16 = _dir.WriteBytes("utf16.txt", System.Text.Encoding.Unicode.GetBytes("Hi.\tA\n"));
        Assert.Throws<InvalidDataException>(() => ParallelCorpus.ReadTabSeparated(utf16));
        Assert.Contains("empty", Assert.Throws<InvalidDataException>(() => ParallelCorpus.ReadTabSeparated(_dir.Write("empty.txt", ""))).Message);
    }

    [Fact]
    public void AlignedFilesPairLineByLine()
    {
        string en = _dir.Write("a.en", "Hello .\n\nGood night .\n"), zh = _dir.Write("a.zh", "你好。\n\n晚安。");
        Assert.Equal([new SentencePair("Hello .", "你好。", 1), new SentencePair("Good night .", "晚安。", 3)], ParallelCorpus.ReadAligned(en, zh));
        string shortZh = _dir.Write("b.zh", "你好。\n");
        Assert.Contains("ends after 1 lines", Assert.Throws<InvalidDataException>(() => ParallelCorpus.ReadAligned(en, shortZh)).Message);
        string gap = _dir.Write("c.zh", "你好。\n晚安。\n\n");
        Assert.Contains("line 2: is blank where the other file has a sentence", Assert.Throws<InvalidDataException>(() => ParallelCorpus.ReadAligned(en, gap)).Message);
    }

    [Fact]
    public void ChineseSplitsIntoCharactersAndKeepsLatinWords()
    {
        var t = new ChineseTokenizer();
        Assert.Equal(["Tom", "的", "书", "很", "好", "。"], t.Tokenize("Tom的书很好。"));
        Assert.Equal(["他", "说", "：", "“", "你", "好", "！", "”"], t.Tokenize("他说：“你好！”"));
        Assert.Equal(["我", "有", "3.5", "个", "iPhone", ",", "好", "吗", "？"], t.Tokenize("我有3.5个iPhone, 好吗？"));
        Assert.Equal(["你", "好", "世", "界"], t.Tokenize(" 你好\u3000世界 ")); // the ideographic space separates
        Assert.Equal(["𠀀", "a"], t.Tokenize("𠀀a"));                           // Extension B, one token of two UTF-16 units
        Assert.Equal(["tom", "的"], new ChineseTokenizer(lowercase: true).Tokenize("TOM的"));
        Assert.Empty(t.Tokenize("   "));
    }

    [Fact]
    public void ReservedTokensTakeTheIdsAfterPadAndUnknown()
    {
        var v = WordVocabulary.Build([["a", "b", "a", "<s>"], ["b", "c", "a"]], reserved: ["<s>", "</s>"]);
        Assert.Equal(["<pad>", "<unk>", "<s>", "</s>", "a", "b", "c"], v.Words);
        Assert.Equal(0, v.Count("<s>"));
        var back = WordVocabulary.FromJson(v.ToJson());
        Assert.Equal(v.Words, back.Words);
        Assert.Equal(["<pad>", "<unk>", "<s>", "</s>", "a"], WordVocabulary.Build([["a", "b", "a"]], maxSize: 5, reserved: ["<s>", "</s>"]).Words);
        Assert.Throws<ArgumentException>(() => WordVocabulary.Build([["a"]], reserved: ["<s>", "<s>"]));
        Assert.Throws<ArgumentException>(() => WordVocabulary.Build([["a"]], reserved: ["<unk>"]));
        Assert.ThrowsAny<ArgumentException>(() => WordVocabulary.Build([["a"]], maxSize: 3, reserved: ["<s>", "</s>"]));
    }
}
