using Recur.Training;

namespace Recur.Tests.Training;

/// <summary>
/// BLEU and its tokenizers against sacrebleu 2.6.0 (<c>corpus_bleu(hyps, [refs], tokenize=...)</c> with its defaults, and its
/// Tokenizer13a / TokenizerZh), run once from a scratch checkout to write the expected values below.
/// </summary>
public class BleuTests
{
    public static TheoryData<string, string> Mteval13aLines => new()
    {
        { "Hello, world!", "Hello , world !" },
        { "It's 3.14 or 1,000 -- e.g. 10-20.", "It's 3.14 or 1,000 -- e . g . 10 - 20 ." },
        { "A&amp;B &lt;tag&gt; &quot;q&quot;", "A & B < tag > \" q \"" },
        { "end.", "end ." },
        { "(x+y)/2=z; {a|b}~`c`", "( x + y ) / 2 = z ; { a | b } ~ ` c `" },
        { "tab\tand  spaces ", "tab and spaces" },
        { "line-\nbreak and\nnewline", "linebreak and newline" },
        { "<skipped> gone", "gone" },
        { "I don't know.", "I don't know ." },
        { "e-mail, U.S.A., 5.", "e-mail , U . S . A . , 5 ." },
        { "\u6211\u559c\u6b22\u732b\u3002", "\u6211\u559c\u6b22\u732b\u3002" },
        { "\u4ed6\u8bf4\uff1a\u201c\u4f60\u597d\uff01\u201d", "\u4ed6\u8bf4\uff1a\u201c\u4f60\u597d\uff01\u201d" },
        { "Tom\u7684\u4e66\u2014\u5f88\u597d\u2019s", "Tom\u7684\u4e66\u2014\u5f88\u597d\u2019s" },
        { "\uff11\uff12\uff13\uff21\uff22\uff23", "\uff11\uff12\uff13\uff21\uff22\uff23" },
        { "\u4e2d\u6587English\u6df7\u5408, 123.", "\u4e2d\u6587English\u6df7\u5408 , 123 ." },
        { "\ud840\udc00astral\ud869\udf00", "\ud840\udc00astral\ud869\udf00" },
        { "\u3000\u5168\u89d2\u3000\u7a7a\u683c", "\u5168\u89d2 \u7a7a\u683c" },
        { "\u2001\u2014\u2a6d\u2a6e", "\u2014\u2a6d\u2a6e" },
        { "\u2f80\u2f81\u2fa1\u2fa2", "\u2f80\u2f81\u2fa1\u2fa2" },
        { "\u001cA\u001dB\u001e", "A B" },
        { "", "" },
    };

    public static TheoryData<string, string> ChineseLines => new()
    {
        { "Hello, world!", "Hello , world !" },
        { "It's 3.14 or 1,000 -- e.g. 10-20.", "It's 3.14 or 1,000 -- e . g . 10 - 20." },
        { "A&amp;B &lt;tag&gt; &quot;q&quot;", "A & amp ; B & lt ; tag & gt ; & quot ; q & quot ;" },
        { "end.", "end ." },
        { "(x+y)/2=z; {a|b}~`c`", "( x + y ) / 2 = z ; { a | b } ~ ` c `" },
        { "tab\tand  spaces ", "tab and spaces" },
        { "line-\nbreak and\nnewline", "line- break and newline" },
        { "<skipped> gone", "< skipped > gone" },
        { "I don't know.", "I don't know ." },
        { "e-mail, U.S.A., 5.", "e-mail , U . S . A . , 5." },
        { "\u6211\u559c\u6b22\u732b\u3002", "\u6211 \u559c \u6b22 \u732b \u3002" },
        { "\u4ed6\u8bf4\uff1a\u201c\u4f60\u597d\uff01\u201d", "\u4ed6 \u8bf4 \uff1a \u201c \u4f60 \u597d \uff01 \u201d" },
        { "Tom\u7684\u4e66\u2014\u5f88\u597d\u2019s", "Tom \u7684 \u4e66 \u2014 \u5f88 \u597d \u2019 s" },
        { "\uff11\uff12\uff13\uff21\uff22\uff23", "\uff11 \uff12 \uff13 \uff21 \uff22 \uff23" },
        { "\u4e2d\u6587English\u6df7\u5408, 123.", "\u4e2d \u6587 English \u6df7 \u5408 , 123." },
        { "\ud840\udc00astral\ud869\udf00", "\ud840\udc00astral\ud869\udf00" },
        { "\u3000\u5168\u89d2\u3000\u7a7a\u683c", "\u5168 \u89d2 \u7a7a \u683c" },
        { "\u2001\u2014\u2a6d\u2a6e", "\u2014 \u2a6d \u2a6e" },
        { "\u2f80\u2f81\u2fa1\u2fa2", "\u2f80 \u2f81 \u2fa1 \u2fa2" },
        { "\u001cA\u001dB\u001e", "A B" },
        { "", "" },
    };

    [Theory]
    [MemberData(nameof(Mteval13aLines))]
    public void Mteval13aTokenizesAsSacrebleu(string line, string expected) => Assert.Equal(expected, BleuTokenizers.Mteval13a(line));

    [Theory]
    [MemberData(nameof(ChineseLines))]
    public void ChineseTokenizesAsSacrebleu(string line, string expected) => Assert.Equal(expected, BleuTokenizers.Chinese(line));

    public static TheoryData<string, string[], string[], double, long[], long[], long, long> Corpora => new()
    {
        // en: BLEU = 47.40 87.5/68.4/53.3/36.4 (BP = 0.812 ratio = 0.828 hyp_len = 24 ref_len = 29)
        { "13a", new[] { "The cat sat on the mat.", "Hello there, friend!", "", "It is 3.5 meters long.", "a", "Tom doesn't like it." }, new[] { "The cat is on the mat.", "Hello, friend!", "Nothing here.", "It is 3.5 meters long.", "a b c", "Tom does not like it." }, 47.39559094313156, new long[] { 21, 13, 8, 4 }, new long[] { 24, 19, 15, 11 }, 24, 29 },
        // en_short: BLEU = 0.00 100.0/0.0/0.0/0.0 (BP = 0.368 ratio = 0.500 hyp_len = 2 ref_len = 4)
        { "13a", new[] { "yes", "no" }, new[] { "yes indeed", "no way" }, 0.0, new long[] { 2, 0, 0, 0 }, new long[] { 2, 0, 0, 0 }, 2, 4 },
        // en_nomatch: BLEU = 0.00 0.0/0.0/0.0/0.0 (BP = 1.000 ratio = 2.000 hyp_len = 2 ref_len = 1)
        { "13a", new[] { "abc def" }, new[] { "xyz" }, 0.0, new long[] { 0, 0, 0, 0 }, new long[] { 2, 1, 0, 0 }, 2, 1 },
        // en_empty: BLEU = 0.00 0.0/0.0/0.0/0.0 (BP = 0.000 ratio = 0.000 hyp_len = 0 ref_len = 1)
        { "13a", new[] { "" }, new[] { "something" }, 0.0, new long[] { 0, 0, 0, 0 }, new long[] { 0, 0, 0, 0 }, 0, 1 },
        // en_long: BLEU = 6.57 14.3/8.3/5.0/3.1 (BP = 1.000 ratio = 1.000 hyp_len = 7 ref_len = 7)
        { "13a", new[] { "the the the the the the the" }, new[] { "The cat is on the mat ." }, 6.567274736060395, new long[] { 1, 0, 0, 0 }, new long[] { 7, 6, 5, 4 }, 7, 7 },
        // zh: BLEU = 53.67 95.0/75.0/58.3/44.4 (BP = 0.819 ratio = 0.833 hyp_len = 20 ref_len = 24)
        { "zh", new[] { "\u6211\u559c\u6b22\u732b\u3002", "\u4ed6\u4eca\u5929\u53bb\u4e86\u5b66\u6821", "\u4f60\u597d", "", "Tom\u7684\u4e66\u5f88\u597d\u3002" }, new[] { "\u6211\u559c\u6b22\u72d7\u3002", "\u4ed6\u4eca\u5929\u53bb\u5b66\u6821\u4e86\u3002", "\u4f60\u597d\uff01", "\u6ca1\u6709", "Tom\u7684\u4e66\u5f88\u597d\u3002" }, 53.67485621969045, new long[] { 19, 12, 7, 4 }, new long[] { 20, 16, 12, 9 }, 20, 24 },
        // none: BLEU = 71.65 100.0/100.0/100.0/100.0 (BP = 0.717 ratio = 0.750 hyp_len = 6 ref_len = 8)
        { "none", new[] { "a b c d", "e f" }, new[] { "a b c d e", "e f g" }, 71.65313105737896, new long[] { 6, 4, 2, 1 }, new long[] { 6, 4, 2, 1 }, 6, 8 },
    };

    [Theory]
    [MemberData(nameof(Corpora))]
    public void CorpusBleuIsSacrebleus(string tokenizer, string[] hypotheses, string[] references, double score, long[] correct, long[] total, long hypLength, long refLength)
    {
        var tokenization = tokenizer switch { "13a" => BleuTokenization.Mteval13a, "zh" => BleuTokenization.Chinese, _ => BleuTokenization.None };
        var b = Bleu.Corpus(hypotheses, references, tokenization);
        Assert.Equal(correct, b.Correct);
        Assert.Equal(total, b.Total);
        Assert.Equal(hypLength, b.HypothesisLength);
        Assert.Equal(refLength, b.ReferenceLength);
        Assert.Equal(tokenizer, b.Tokenizer);
        Assert.Equal(score, b.Score, 1e-12 * Math.Max(1, score));
    }

    [Fact]
    public void APerfectCorpusScores100AndTheSummaryReadsAsSacrebleus()
    {
        var b = Bleu.Corpus(["the cat sat on the mat .", "hello"], ["the cat is on the mat .", "hello there"]);
        Assert.Equal("BLEU = 43.37 87.5/66.7/40.0/25.0 (BP = 0.882 ratio = 0.889 hyp_len = 8 ref_len = 9)", b.ToString()); // sacrebleu's own line
        Assert.Equal(100, Bleu.Corpus(["a b c d e"], ["a b c d e"]).Score, 1e-9);
        Assert.Throws<ArgumentException>(() => Bleu.Corpus(["a"], ["a", "b"]));
    }

    [Fact]
    public void TheChineseRangesKeepSacrebleusStringComparisons()
    {
        // '\u20000' in sacrebleu's table is U+2000 followed by '0': the range it bounds runs from U+2001 to U+2A6D.
        Assert.False(BleuTokenizers.IsChinese(0x2000));
        Assert.True(BleuTokenizers.IsChinese(0x2001));
        Assert.True(BleuTokenizers.IsChinese(0x2014)); // an em dash counts as Chinese
        Assert.True(BleuTokenizers.IsChinese(0x2A6D));
        Assert.False(BleuTokenizers.IsChinese(0x20000)); // Extension B itself does not
        Assert.True(BleuTokenizers.IsChinese(0x4E2D));
        Assert.False(BleuTokenizers.IsChinese('a'));
    }
}
