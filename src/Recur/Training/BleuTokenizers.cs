using System.Text;
using System.Text.RegularExpressions;

namespace Recur.Training;

/// <summary>
/// sacrebleu's tokenizers, written from its definitions: <c>13a</c> (mteval-v13a as WMT uses it) and <c>zh</c>
/// (Chinese characters split apart, the rest as 13a's regular expressions). The output is tokens separated by single
/// spaces.
/// </summary>
public static partial class BleuTokenizers
{
    /// <summary>The name sacrebleu's signature gives the tokenizer.</summary>
    public static string Name(BleuTokenization tokenization) => tokenization switch
    {
        BleuTokenization.Mteval13a => "13a",
        BleuTokenization.Chinese => "zh",
        _ => "none",
    };

    /// <summary>Tokenizes one line.</summary>
    public static string Tokenize(string line, BleuTokenization tokenization)
    {
        ArgumentNullException.ThrowIfNull(line);
        return tokenization switch
        {
            BleuTokenization.Mteval13a => Mteval13a(line),
            BleuTokenization.Chinese => Chinese(line),
            _ => line,
        };
    }

    /// <summary>mteval-v13a: drops <c>&lt;skipped&gt;</c>, joins hyphenated line breaks, unescapes four HTML entities, then <see cref="Punctuation"/>.</summary>
    public static string Mteval13a(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        line = line.Replace("<skipped>", "", StringComparison.Ordinal).Replace("-\n", "", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
        if (line.Contains('&', StringComparison.Ordinal))
        {
            line = line.Replace("&quot;", "\"", StringComparison.Ordinal).Replace("&amp;", "&", StringComparison.Ordinal)
                .Replace("&lt;", "<", StringComparison.Ordinal).Replace("&gt;", ">", StringComparison.Ordinal);
        }
        return Punctuation($" {line} ");
    }

    /// <summary>
    /// sacrebleu's zh: the stripped line with a space on each side of every character in its Chinese ranges (as its
    /// table defines them, comparisons of Python strings included), then <see cref="Punctuation"/>.
    /// </summary>
    public static string Chinese(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        line = PythonText.Strip(line);
        var sb = new StringBuilder(line.Length * 3);
        foreach (var rune in line.EnumerateRunes())
        {
            if (IsChinese(rune.Value)) sb.Append(' ').Append(rune.ToString()).Append(' ');
            else sb.Append(rune.ToString());
        }
        return Punctuation(sb.ToString());
    }

    /// <summary>
    /// The regular expressions 13a and zh share: ASCII punctuation other than <c>' - . ,</c> set apart; a period or
    /// comma set apart unless it sits between digits; a dash after a digit set apart; whitespace collapsed.
    /// </summary>
    public static string Punctuation(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        line = Symbols().Replace(line, " $1 ");
        line = PeriodAfterNonDigit().Replace(line, "$1 $2 ");
        line = PeriodBeforeNonDigit().Replace(line, " $1 $2");
        line = DashAfterDigit().Replace(line, "$1 $2 ");
        return string.Join(' ', PythonText.Split(line));
    }

    [GeneratedRegex(@"([\{-\~\[-\` -\&\(-\+\:-\@\/])", RegexOptions.CultureInvariant)]
    private static partial Regex Symbols();

    [GeneratedRegex(@"([^0-9])([\.,])", RegexOptions.CultureInvariant)]
    private static partial Regex PeriodAfterNonDigit();

    [GeneratedRegex(@"([\.,])([^0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex PeriodBeforeNonDigit();

    [GeneratedRegex(@"([0-9])(-)", RegexOptions.CultureInvariant)]
    private static partial Regex DashAfterDigit();

    // sacrebleu's table of "Chinese" ranges, as the Python strings it writes: two of them ('\u20000', '\u2a6d6' and
    // '\u2f800', '\u2fa1d') are two characters long, since Python's \u takes four hex digits, so they bound by string
    // comparison what they meant as Extensions B and the compatibility supplement.
    private static readonly (int[] Start, int[] End)[] Ranges =
    [
        ([0x3400], [0x4db5]), ([0x4e00], [0x9fa5]), ([0x9fa6], [0x9fbb]), ([0xf900], [0xfa2d]), ([0xfa30], [0xfa6a]),
        ([0xfa70], [0xfad9]), ([0x2000, '0'], [0x2a6d, '6']), ([0x2f80, '0'], [0x2fa1, 'd']), ([0xff00], [0xffef]),
        ([0x2e80], [0x2eff]), ([0x3000], [0x303f]), ([0x31c0], [0x31ef]), ([0x2f00], [0x2fdf]), ([0x2ff0], [0x2fff]),
        ([0x3100], [0x312f]), ([0x31a0], [0x31bf]), ([0xfe10], [0xfe1f]), ([0xfe30], [0xfe4f]), ([0x2600], [0x26ff]),
        ([0x2700], [0x27bf]), ([0x3200], [0x32ff]), ([0x3300], [0x33ff]),
    ];

    /// <summary>Whether sacrebleu's zh tokenizer treats the code point as a Chinese character (start &lt;= c &lt;= end as Python compares strings).</summary>
    public static bool IsChinese(int codePoint)
    {
        foreach (var (start, end) in Ranges)
        {
            if (Compare(start, codePoint) <= 0 && Compare(end, codePoint) >= 0) return true;
        }
        return false;
    }

    // Python's comparison of the string s with the one-character string c: code point by code point, a proper prefix first.
    private static int Compare(int[] s, int c) => s[0] != c ? s[0].CompareTo(c) : s.Length.CompareTo(1);
}

/// <summary>Python's str.strip, str.rstrip and str.split() (no arguments): whitespace as str.isspace defines it.</summary>
internal static class PythonText
{
    // str.isspace: the Unicode White_Space characters .NET knows, plus the separators U+001C..U+001F.
    public static bool IsSpace(char c) => char.IsWhiteSpace(c) || (c >= '\u001c' && c <= '\u001f');

    public static string Strip(string s)
    {
        int start = 0, end = s.Length;
        while (start < end && IsSpace(s[start])) start++;
        while (end > start && IsSpace(s[end - 1])) end--;
        return s[start..end];
    }

    public static string RStrip(string s)
    {
        int end = s.Length;
        while (end > 0 && IsSpace(s[end - 1])) end--;
        return s[..end];
    }

    public static string[] Split(string s)
    {
        var parts = new List<string>();
        int i = 0;
        while (i < s.Length)
        {
            while (i < s.Length && IsSpace(s[i])) i++;
            int start = i;
            while (i < s.Length && !IsSpace(s[i])) i++;
            if (i > start) parts.Add(s[start..i]);
        }
        return [.. parts];
    }
}
