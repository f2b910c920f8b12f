using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Recur.Data;

/// <summary>
/// Splits text into words at Unicode whitespace. With <see cref="SplitPunctuation"/>, punctuation and symbol
/// characters become tokens of their own (a run of the same character, such as <c>...</c> or <c>!!</c>, is one
/// token; different characters are separate tokens), except where they belong to a word: an apostrophe or hyphen
/// between two word characters (<c>don't</c>, <c>re-imagining</c>), a point or comma between two digits
/// (<c>3.5</c>, <c>1,000</c>), and a leading apostrophe of an English clitic (<c>'s</c>, <c>'re</c>, <c>'ve</c>,
/// <c>'ll</c>, <c>'d</c>, <c>'m</c>, <c>'t</c>), so already tokenized text such as SST's <c>it 's</c> keeps its
/// tokens. Word characters are letters, digits, marks, connectors (<c>_</c>) and anything else that is neither
/// whitespace nor punctuation nor a symbol. <c>end.</c> gives <c>end</c>, <c>.</c>; <c>"hi!"</c> gives
/// <c>"</c>, <c>hi</c>, <c>!</c>, <c>"</c>.
/// </summary>
public sealed class WordTokenizer
{
    private static readonly string[] s_clitics = ["s", "re", "ve", "ll", "d", "m", "t"];

    /// <summary>Creates a tokenizer with the given options.</summary>
    public WordTokenizer(bool lowercase, bool splitPunctuation)
    {
        Lowercase = lowercase;
        SplitPunctuation = splitPunctuation;
    }

    /// <summary>Lowercases the text (invariant culture) before splitting.</summary>
    public bool Lowercase { get; }

    /// <summary>Makes punctuation and symbols tokens of their own (see the type's summary).</summary>
    public bool SplitPunctuation { get; }

    /// <summary>The tokens of <paramref name="text"/>, in order; none for empty or all-whitespace text.</summary>
    public string[] Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Lowercase) text = text.ToLowerInvariant();
        var tokens = new List<string>();
        var runes = new List<(Rune Rune, int Start, int Length)>();
        int i = 0;
        while (i <= text.Length)
        {
            Rune r = default;
            int n = 0;
            if (i < text.Length) Rune.DecodeFromUtf16(text.AsSpan(i), out r, out n); // a lone surrogate: U+FFFD, 1 char
            if (i == text.Length || Rune.IsWhiteSpace(r))
            {
                if (runes.Count > 0)
                {
                    if (SplitPunctuation) SplitChunk(text, runes, tokens);
                    else tokens.Add(text[runes[0].Start..(runes[^1].Start + runes[^1].Length)]);
                    runes.Clear();
                }
                if (i == text.Length) break;
            }
            else
            {
                runes.Add((r, i, n));
            }
            i += n;
        }
        return tokens.ToArray();
    }

    /// <summary>The options as JSON: <c>{"lowercase": true, "split_punctuation": true}</c>.</summary>
    public string ToJson() => new JsonObject { ["lowercase"] = Lowercase, ["split_punctuation"] = SplitPunctuation }
        .ToJsonString(new JsonSerializerOptions { WriteIndented = true });

    /// <summary>Reads the JSON form of <see cref="ToJson"/>; both keys are required and no others are allowed.</summary>
    /// <exception cref="InvalidDataException">The JSON is malformed, lacks a key, has an unknown key or a non-boolean value.</exception>
    public static WordTokenizer FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            var o = JsonNode.Parse(json) as JsonObject ?? throw new InvalidDataException("the tokenizer options are not a JSON object.");
            foreach (var (key, _) in o)
                if (key is not ("lowercase" or "split_punctuation")) throw new InvalidDataException($"the tokenizer options have an unknown key \"{key}\".");
            return new WordTokenizer(Flag(o, "lowercase"), Flag(o, "split_punctuation"));
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"the tokenizer options are not valid JSON: {ex.Message}", ex);
        }
    }

    private static bool Flag(JsonObject o, string key)
    {
        var node = o[key] ?? throw new InvalidDataException($"the tokenizer options lack \"{key}\".");
        return node.GetValueKind() switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new InvalidDataException($"the tokenizer option \"{key}\" must be true or false, not {node.ToJsonString()}."),
        };
    }

    // Splits one whitespace-free chunk (its runes with their places in the text) into words and punctuation tokens.
    private static void SplitChunk(string text, List<(Rune Rune, int Start, int Length)> runes, List<string> tokens)
    {
        int tokenStart = runes[0].Start, tokenEnd = tokenStart;
        bool inWord = false;
        Rune punct = default;
        for (int k = 0; k < runes.Count; k++)
        {
            var (r, start, length) = runes[k];
            bool word = IsWordRune(r) || JoinsWord(runes, k) || (!inWord && StartsClitic(text, runes, k));
            bool sameToken = tokenEnd > tokenStart && (word ? inWord : !inWord && r == punct);
            if (!sameToken)
            {
                if (tokenEnd > tokenStart) tokens.Add(text[tokenStart..tokenEnd]);
                tokenStart = start;
            }
            tokenEnd = start + length;
            inWord = word;
            punct = r;
        }
        tokens.Add(text[tokenStart..tokenEnd]);
    }

    // An apostrophe or hyphen between word characters, a point or comma between digits.
    private static bool JoinsWord(List<(Rune Rune, int Start, int Length)> runes, int k)
    {
        if (k == 0 || k == runes.Count - 1) return false;
        Rune r = runes[k].Rune, prev = runes[k - 1].Rune, next = runes[k + 1].Rune;
        if (IsApostrophe(r) || IsHyphen(r)) return IsWordRune(prev) && IsWordRune(next);
        if (r.Value is '.' or ',') return Rune.IsDigit(prev) && Rune.IsDigit(next);
        return false;
    }

    // An apostrophe, not after a word character, that starts an English clitic ending at punctuation or the chunk's end.
    private static bool StartsClitic(string text, List<(Rune Rune, int Start, int Length)> runes, int k)
    {
        if (!IsApostrophe(runes[k].Rune) || (k > 0 && IsWordRune(runes[k - 1].Rune))) return false;
        int end = k + 1;
        while (end < runes.Count && IsWordRune(runes[end].Rune)) end++;
        if (end == k + 1) return false;
        var rest = text.AsSpan(runes[k + 1].Start, runes[end - 1].Start + runes[end - 1].Length - runes[k + 1].Start);
        foreach (string c in s_clitics)
            if (rest.Equals(c, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }

    private static bool IsApostrophe(Rune r) => r.Value is '\'' or '\u2019';

    private static bool IsHyphen(Rune r) => r.Value is '-' or '\u2010' or '\u2011';

    // U+FFFD (also what a lone surrogate decodes to) counts as a letter, so broken text is not cut apart.
    private static bool IsWordRune(Rune r) => r == Rune.ReplacementChar || Rune.GetUnicodeCategory(r) switch
    {
        UnicodeCategory.ConnectorPunctuation => true,
        UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation
            or UnicodeCategory.InitialQuotePunctuation or UnicodeCategory.FinalQuotePunctuation
            or UnicodeCategory.OtherPunctuation or UnicodeCategory.MathSymbol or UnicodeCategory.CurrencySymbol
            or UnicodeCategory.ModifierSymbol or UnicodeCategory.OtherSymbol => false,
        _ => !Rune.IsWhiteSpace(r),
    };
}
