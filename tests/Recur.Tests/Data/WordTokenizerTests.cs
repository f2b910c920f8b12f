using Recur.Data;

namespace Recur.Tests.Data;

public class WordTokenizerTests
{
    private static readonly WordTokenizer s_split = new(lowercase: false, splitPunctuation: true);

    [Theory]
    [InlineData("end.", new[] { "end", "." })]
    [InlineData("\"hi!\"", new[] { "\"", "hi", "!", "\"" })]
    [InlineData("don't re-imagining", new[] { "don't", "re-imagining" })]
    [InlineData("Wow... Loved it!!", new[] { "Wow", "...", "Loved", "it", "!!" })]
    [InlineData("it 's do n't", new[] { "it", "'s", "do", "n't" })]
    [InlineData("'hello' (world)", new[] { "'", "hello", "'", "(", "world", ")" })]
    [InlineData("costs $3.50, or 1,000?!", new[] { "costs", "$", "3.50", ",", "or", "1,000", "?", "!" })]
    [InlineData("--well-- -5 snake_case", new[] { "--", "well", "--", "-", "5", "snake_case" })]
    [InlineData("naïve café:  日本語。", new[] { "naïve", "café", ":", "日本語", "。" })]
    [InlineData("smile \U0001F600\U0001F600!", new[] { "smile", "\U0001F600\U0001F600", "!" })]
    [InlineData("it\u2019s fine", new[] { "it\u2019s", "fine" })]
    public void SplitsPunctuationButKeepsWordInnerApostrophesHyphensAndNumbers(string text, string[] expected) =>
        Assert.Equal(expected, s_split.Tokenize(text));

    [Fact]
    public void SplitsOnUnicodeWhitespaceOnly()
    {
        var plain = new WordTokenizer(lowercase: false, splitPunctuation: false);
        Assert.Equal(["a", "b.", "c", "d", "e", "\"f\""], plain.Tokenize("  a\tb.\u0085c\u2028d\u00A0e\r\n\"f\"  "));
        Assert.Empty(plain.Tokenize(""));
        Assert.Empty(s_split.Tokenize(" \t\n"));
    }

    [Fact]
    public void LowercasesWhenAsked()
    {
        var lower = new WordTokenizer(lowercase: true, splitPunctuation: true);
        Assert.Equal(["the", "end", "."], lower.Tokenize("THE End."));
        Assert.Equal(["The", "End."], new WordTokenizer(false, false).Tokenize("The End."));
    }

    [Fact]
    public void KeepsALoneSurrogateAsText()
    {
        string text = "a\uD800b c";
        Assert.Equal(["a\uD800b", "c"], s_split.Tokenize(text));
    }

    [Fact]
    public void OptionsRoundTripThroughSnakeCaseJson()
    {
        var t = new WordTokenizer(lowercase: true, splitPunctuation: false);
        string json = t.ToJson();
        Assert.Contains("\"split_punctuation\": false", json);
        Assert.Contains("\"lowercase\": true", json);
        var back = WordTokenizer.FromJson(json);
        Assert.True(back.Lowercase);
        Assert.False(back.SplitPunctuation);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[true]")]
    [InlineData("{\"lowercase\": true}")]
    [InlineData("{\"lowercase\": 1, \"split_punctuation\": true}")]
    [InlineData("{\"lowercase\": true, \"split_punctuation\": true, \"stem\": true}")]
    public void MalformedOptionsAreInvalidData(string json) =>
        Assert.Throws<InvalidDataException>(() => WordTokenizer.FromJson(json));
}
