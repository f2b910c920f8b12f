using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Recur.Data;

/// <summary>
/// A word vocabulary: id 0 is <c>&lt;pad&gt;</c>, id 1 is <c>&lt;unk&gt;</c>, then the words of the training data by
/// descending count, ties in ordinal string order, so the same data always gives the same ids. Saved as JSON
/// <c>{"words": ["&lt;pad&gt;", "&lt;unk&gt;", "the", ...], "counts": [0, 0, 1234, ...]}</c>; the order of
/// <c>words</c> is the ids.
/// </summary>
public sealed class WordVocabulary
{
    /// <summary>The padding word.</summary>
    public const string PadToken = "<pad>";

    /// <summary>The word that stands for every word not in the vocabulary.</summary>
    public const string UnknownToken = "<unk>";

    /// <summary>The id of <see cref="PadToken"/>.</summary>
    public const int PadId = 0;

    /// <summary>The id of <see cref="UnknownToken"/>.</summary>
    public const int UnknownId = 1;

    private readonly string[] _words;
    private readonly long[] _counts;
    private readonly Dictionary<string, int> _ids;

    private WordVocabulary(string[] words, long[] counts)
    {
        _words = words;
        _counts = counts;
        _ids = new Dictionary<string, int>(words.Length, StringComparer.Ordinal);
        for (int i = 0; i < words.Length; i++) _ids.Add(words[i], i);
    }

    /// <summary>
    /// The vocabulary of <paramref name="sentences"/>: the words seen at least <paramref name="minCount"/> times, the
    /// most frequent first, at most <paramref name="maxSize"/> entries counting the special ones. Tokens equal to
    /// <see cref="PadToken"/>, <see cref="UnknownToken"/> or a reserved token are not counted.
    /// </summary>
    /// <remarks>
    /// <paramref name="reserved"/> names further special tokens (a translation's <c>&lt;s&gt;</c> and <c>&lt;/s&gt;</c>)
    /// that take ids 2, 3, ... in the order given, whether the data holds them or not, before the words.
    /// </remarks>
    /// <exception cref="ArgumentException">A token is null or empty, <paramref name="minCount"/> is below 1, <paramref name="maxSize"/> leaves no room for the special tokens, or a reserved token repeats.</exception>
    public static WordVocabulary Build(IEnumerable<IReadOnlyList<string>> sentences, int minCount = 1, int? maxSize = null, IReadOnlyList<string>? reserved = null)
    {
        ArgumentNullException.ThrowIfNull(sentences);
        ArgumentOutOfRangeException.ThrowIfLessThan(minCount, 1);
        string[] specials = [PadToken, UnknownToken, .. reserved ?? []];
        if (specials.Any(string.IsNullOrEmpty) || specials.Distinct(StringComparer.Ordinal).Count() != specials.Length)
            throw new ArgumentException("The reserved tokens must be non-empty, distinct, and other than <pad> and <unk>.", nameof(reserved));
        if (maxSize is int m) ArgumentOutOfRangeException.ThrowIfLessThan(m, specials.Length, nameof(maxSize));
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var sentence in sentences)
        {
            ArgumentNullException.ThrowIfNull(sentence, nameof(sentences));
            foreach (string token in sentence)
            {
                if (string.IsNullOrEmpty(token)) throw new ArgumentException("A sentence holds a null or empty token.", nameof(sentences));
                if (Array.IndexOf(specials, token) >= 0) continue;
                counts[token] = counts.GetValueOrDefault(token) + 1;
            }
        }
        var kept = counts.Where(kv => kv.Value >= minCount)
            .OrderByDescending(kv => kv.Value)
            .ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Take((maxSize ?? int.MaxValue) - specials.Length)
            .ToList();
        string[] words = [.. specials, .. kept.Select(kv => kv.Key)];
        long[] c = [.. new long[specials.Length], .. kept.Select(kv => kv.Value)];
        return new WordVocabulary(words, c);
    }

    /// <summary>V: the number of entries, the two special ones included.</summary>
    public int Size => _words.Length;

    /// <summary>The word with id <paramref name="id"/>.</summary>
    public string this[int id] => _words[id];

    /// <summary>The words in id order.</summary>
    public IReadOnlyList<string> Words => _words;

    /// <summary>True when <paramref name="word"/> is in the vocabulary, with its id.</summary>
    public bool TryGetId(string word, out int id) => _ids.TryGetValue(word, out id);

    /// <summary>The id of <paramref name="word"/>, or <see cref="UnknownId"/> when it is not in the vocabulary.</summary>
    public int GetId(string word) => _ids.TryGetValue(word, out int id) ? id : UnknownId;

    /// <summary>How often <paramref name="word"/> occurred in the data the vocabulary was built from; 0 when unknown.</summary>
    public long Count(string word) => _ids.TryGetValue(word, out int id) ? _counts[id] : 0;

    /// <summary>The ids of <paramref name="tokens"/>; a word not in the vocabulary becomes <see cref="UnknownId"/>.</summary>
    public int[] Encode(IReadOnlyList<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var ids = new int[tokens.Count];
        for (int i = 0; i < ids.Length; i++) ids[i] = GetId(tokens[i]);
        return ids;
    }

    /// <summary>The JSON form (see the type's summary).</summary>
    public string ToJson()
    {
        var words = new JsonArray();
        foreach (string w in _words) words.Add(w);
        var counts = new JsonArray();
        foreach (long c in _counts) counts.Add(c);
        return new JsonObject { ["words"] = words, ["counts"] = counts }
            .ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    /// <summary>
    /// Reads the JSON form. <c>words</c> is required, <c>counts</c> optional (zeros when absent).
    /// </summary>
    /// <exception cref="InvalidDataException">
    /// The JSON is malformed; <c>words</c> is missing or not a list of non-empty strings; a word appears twice; the
    /// special words are not at ids 0 and 1; or <c>counts</c> is not a list of as many non-negative integers.
    /// </exception>
    public static WordVocabulary FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var root = DataJson.Parse(json, "the word vocabulary");
        if (root is not JsonObject o) throw new InvalidDataException("the word vocabulary is not a JSON object.");
        if (o["words"] is not JsonArray list) throw new InvalidDataException("the word vocabulary has no \"words\" list.");
        var words = new string[list.Count];
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < words.Length; i++)
        {
            if (list[i] is not JsonValue v || v.GetValueKind() != JsonValueKind.String || v.GetValue<string>() is not { Length: > 0 } w)
                throw new InvalidDataException($"the word vocabulary's entry {i} is not a non-empty string.");
            if (!seen.TryAdd(w, i)) throw new InvalidDataException($"the word vocabulary holds \"{w}\" twice (ids {seen[w]} and {i}).");
            words[i] = w;
        }
        if (words.Length < 2 || words[PadId] != PadToken || words[UnknownId] != UnknownToken)
            throw new InvalidDataException($"the word vocabulary must start with \"{PadToken}\" (id 0) and \"{UnknownToken}\" (id 1).");
        var counts = new long[words.Length];
        if (o["counts"] is JsonNode countsNode)
        {
            if (countsNode is not JsonArray cl || cl.Count != words.Length)
                throw new InvalidDataException($"the word vocabulary's \"counts\" must be a list of {words.Length} counts, one per word.");
            for (int i = 0; i < counts.Length; i++)
            {
                if (cl[i] is not JsonValue cv || cv.GetValueKind() != JsonValueKind.Number || !cv.TryGetValue(out long c) || c < 0)
                    throw new InvalidDataException($"the word vocabulary's count {i} is not a non-negative integer.");
                counts[i] = c;
            }
        }
        return new WordVocabulary(words, counts);
    }
}
