using System.Text.Json;
using System.Text.Json.Nodes;

namespace Recur.Data;

/// <summary>
/// The characters words are spelled with, for character-level word features (Lample et al. 2016): id 0 is padding,
/// id 1 stands for every character not seen in the training words, then the characters of the training words by
/// descending count, ties by code. A word becomes the ids of its first <see cref="MaxWordLength"/> characters (UTF-16
/// code units), so a word the vocabulary lacks still has a spelling. Saved as JSON <c>{"chars": [101, 116, ...],
/// "max_word_length": 20}</c>, the ids of <c>chars</c> starting at 2.
/// </summary>
public sealed class CharacterTable
{
    /// <summary>The padding id.</summary>
    public const int PadId = 0;

    /// <summary>The id of a character not in the table.</summary>
    public const int UnknownId = 1;

    private readonly char[] _chars;
    private readonly Dictionary<char, int> _ids;

    private CharacterTable(char[] chars, int maxWordLength)
    {
        _chars = chars;
        MaxWordLength = maxWordLength;
        _ids = new Dictionary<char, int>(chars.Length);
        for (int i = 0; i < chars.Length; i++)
            if (!_ids.TryAdd(chars[i], i + 2)) throw new ArgumentException($"Character U+{(int)chars[i]:X4} appears twice.");
    }

    /// <summary>Ids per table: the characters plus padding and unknown.</summary>
    public int Size => _chars.Length + 2;

    /// <summary>The longest spelling kept; longer words keep their first characters.</summary>
    public int MaxWordLength { get; }

    /// <summary>The table of the characters of <paramref name="words"/> (each word counted as often as it is given).</summary>
    public static CharacterTable Build(IEnumerable<string> words, int maxWordLength = 20)
    {
        ArgumentNullException.ThrowIfNull(words);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxWordLength, 1);
        var counts = new Dictionary<char, long>();
        foreach (var word in words)
            foreach (char c in word ?? "") counts[c] = counts.GetValueOrDefault(c) + 1;
        var chars = counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key).Select(kv => kv.Key).ToArray();
        return new CharacterTable(chars, maxWordLength);
    }

    /// <summary>The ids of <paramref name="word"/>'s first characters (at least one: an empty word is one padding id).</summary>
    public int[] Encode(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        int n = Math.Clamp(word.Length, 1, MaxWordLength);
        var ids = new int[n];
        for (int i = 0; i < n && i < word.Length; i++) ids[i] = _ids.TryGetValue(word[i], out int id) ? id : UnknownId;
        return ids;
    }

    /// <summary>The JSON form (see the type's summary).</summary>
    public string ToJson() => new JsonObject
    {
        ["chars"] = new JsonArray(_chars.Select(c => (JsonNode)(int)c).ToArray()),
        ["max_word_length"] = MaxWordLength,
    }.ToJsonString(new JsonSerializerOptions { WriteIndented = true });

    /// <summary>Reads the JSON form.</summary>
    /// <exception cref="InvalidDataException">Malformed, a code outside 0..65535, or a repeated character.</exception>
    public static CharacterTable FromJson(string json)
    {
        try
        {
            var o = JsonNode.Parse(json) as JsonObject ?? throw new InvalidDataException("the character table is not a JSON object.");
            var codes = (o["chars"] as JsonArray ?? throw new InvalidDataException("the character table has no \"chars\" list."))
                .Select(n => n?.GetValue<int>() ?? throw new InvalidDataException("the character table holds a null.")).ToArray();
            if (codes.Any(c => c < 0 || c > char.MaxValue)) throw new InvalidDataException("the character table holds a code outside 0..65535.");
            int max = o["max_word_length"]?.GetValue<int>() ?? throw new InvalidDataException("the character table has no \"max_word_length\".");
            if (max < 1 || max > 1000) throw new InvalidDataException($"the character table's max_word_length {max} is out of range.");
            return new CharacterTable(codes.Select(c => (char)c).ToArray(), max);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or ArgumentException)
        {
            throw new InvalidDataException($"the character table is not valid: {ex.Message}", ex);
        }
    }
}
