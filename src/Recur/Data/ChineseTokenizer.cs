using System.Text;

namespace Recur.Data;

/// <summary>
/// Chinese (and other CJK) text in characters: every Han character, CJK punctuation mark, kana and full-width form is
/// a token of its own, as character-level translation models of Chinese use it; the runs between them (Latin words,
/// digits, ASCII punctuation: <c>Tom</c> in <c>Tom的书</c>) go through a <see cref="WordTokenizer"/> with the given
/// options. Whitespace only separates.
/// </summary>
public sealed class ChineseTokenizer(bool lowercase = false, bool splitPunctuation = true)
{
    private readonly WordTokenizer _words = new(lowercase, splitPunctuation);

    /// <summary>Whether the runs between CJK characters are lower-cased.</summary>
    public bool Lowercase => _words.Lowercase;

    /// <summary>Whether punctuation in those runs becomes tokens of its own.</summary>
    public bool SplitPunctuation => _words.SplitPunctuation;

    /// <summary>The tokens of <paramref name="text"/>, in order.</summary>
    public string[] Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = new List<string>();
        var run = new StringBuilder();
        foreach (var rune in text.EnumerateRunes())
        {
            if (!IsCjk(rune.Value))
            {
                run.Append(rune.ToString());
                continue;
            }
            Flush(run, tokens);
            tokens.Add(rune.ToString());
        }
        Flush(run, tokens);
        return [.. tokens];
    }

    private void Flush(StringBuilder run, List<string> tokens)
    {
        if (run.Length == 0) return;
        tokens.AddRange(_words.Tokenize(run.ToString()));
        run.Clear();
    }

    /// <summary>
    /// Han ideographs (the unified blocks, extensions A to H, compatibility ideographs), CJK radicals, CJK symbols and
    /// punctuation (U+3000..U+303F, the ideographic space excepted: it separates), kana, bopomofo, the vertical and
    /// compatibility forms, and the half-width and full-width forms.
    /// </summary>
    public static bool IsCjk(int c) =>
        c is (>= 0x4E00 and <= 0x9FFF) or (>= 0x3400 and <= 0x4DBF) or (>= 0x20000 and <= 0x323AF) or (>= 0xF900 and <= 0xFAFF)
            or (>= 0x2F800 and <= 0x2FA1F) or (>= 0x2E80 and <= 0x2FDF) or (>= 0x3001 and <= 0x303F) or (>= 0x3040 and <= 0x30FF)
            or (>= 0x3100 and <= 0x312F) or (>= 0x31A0 and <= 0x31FF) or (>= 0xFE10 and <= 0xFE1F) or (>= 0xFE30 and <= 0xFE4F)
            or (>= 0xFF00 and <= 0xFFEF);
}
