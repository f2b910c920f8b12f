using System.Text.Json;
using System.Text.Json.Nodes;

namespace Recur.Data;

/// <summary>
/// A character vocabulary: the distinct UTF-16 characters of a text, sorted by code, a character's id being its
/// index. Saved as JSON <c>{"chars": [10, 32, ...], "text": "\n !..."}</c>; the codes are authoritative (they
/// survive characters that JSON strings cannot hold alone, such as an unpaired surrogate), the text is for people.
/// </summary>
public sealed class CharVocabulary
{
    private readonly char[] _chars;
    private readonly Dictionary<char, int> _ids;

    /// <summary>Creates a vocabulary of <paramref name="chars"/>, which must be distinct; ids follow sorted order.</summary>
    public CharVocabulary(IEnumerable<char> chars)
    {
        ArgumentNullException.ThrowIfNull(chars);
        _chars = chars.Order().ToArray();
        if (_chars.Length == 0) throw new ArgumentException("A vocabulary needs at least one character.", nameof(chars));
        _ids = new Dictionary<char, int>(_chars.Length);
        for (int i = 0; i < _chars.Length; i++)
            if (!_ids.TryAdd(_chars[i], i)) throw new ArgumentException($"Character {Describe(_chars[i])} appears twice.", nameof(chars));
    }

    /// <summary>The vocabulary of the distinct characters of <paramref name="text"/>.</summary>
    public static CharVocabulary FromText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new CharVocabulary(text.Distinct());
    }

    /// <summary>V: the number of characters.</summary>
    public int Size => _chars.Length;

    /// <summary>The character with id <paramref name="id"/>.</summary>
    public char this[int id] => _chars[id];

    /// <summary>The characters in id order.</summary>
    public ReadOnlySpan<char> Chars => _chars;

    /// <summary>True when <paramref name="c"/> is in the vocabulary, with its id.</summary>
    public bool TryGetId(char c, out int id) => _ids.TryGetValue(c, out id);

    /// <summary>The ids of <paramref name="text"/>; throws naming the first character that is not in the vocabulary.</summary>
    /// <exception cref="ArgumentException">A character of the text is not in the vocabulary.</exception>
    public int[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new int[text.Length];
        for (int i = 0; i < text.Length; i++)
        {
            if (!_ids.TryGetValue(text[i], out ids[i]))
                throw new ArgumentException($"character {Describe(text[i])} at position {i} is not in the model's vocabulary of {Size} characters.");
        }
        return ids;
    }

    /// <summary>The text of <paramref name="ids"/>.</summary>
    public string Decode(ReadOnlySpan<int> ids)
    {
        var chars = new char[ids.Length];
        for (int i = 0; i < ids.Length; i++) chars[i] = _chars[ids[i]];
        return new string(chars);
    }

    /// <summary>The JSON form (see the type's summary).</summary>
    public string ToJson()
    {
        var codes = new JsonArray();
        foreach (char c in _chars) codes.Add((int)c);
        var o = new JsonObject { ["chars"] = codes, ["text"] = new string(_chars.Where(c => !char.IsSurrogate(c)).ToArray()) };
        return o.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>Reads the JSON form.</summary>
    /// <exception cref="InvalidDataException">The JSON is malformed, lacks <c>chars</c>, or holds a bad or repeated code.</exception>
    public static CharVocabulary FromJson(string json)
    {
        try
        {
            var codes = JsonNode.Parse(json)?["chars"]?.AsArray() ?? throw new InvalidDataException("the vocabulary has no \"chars\" list.");
            var chars = codes.Select(n => n?.GetValue<int>() ?? throw new InvalidDataException("the vocabulary holds a null code.")).ToList();
            if (chars.Any(c => c < 0 || c > char.MaxValue)) throw new InvalidDataException("the vocabulary holds a code outside 0..65535.");
            return new CharVocabulary(chars.Select(c => (char)c));
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or ArgumentException)
        {
            throw new InvalidDataException($"the vocabulary is not valid: {ex.Message}", ex);
        }
    }

    /// <summary>A readable name for a character: itself in quotes when printable, else its code.</summary>
    public static string Describe(char c) =>
        char.IsControl(c) || char.IsSurrogate(c) || char.IsWhiteSpace(c) ? $"U+{(int)c:X4}" : $"'{c}' (U+{(int)c:X4})";
}
