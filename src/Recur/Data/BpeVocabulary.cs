using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Recur.Data;

/// <summary>
/// Byte-pair encoding of words into subword units (Sennrich, Haddow and Birch 2016), learnt from the training text:
/// every word starts as its characters with an end-of-word mark on the last (<c>l o w&lt;/w&gt;</c>), and the most
/// frequent adjacent pair of units, counted over the words' frequencies, is merged into one unit, again and again
/// (ties broken by ordinal order of the pair, so the same text always gives the same merges). Encoding a word applies
/// the learnt merges in the order they were learnt; a character never seen stays a unit of its own. Decoding joins the
/// units and ends a word at every end-of-word mark, so <c>Decode(Encode(words))</c> gives the words back.
/// Saved as JSON <c>{"merges": [["l", "o"], ["lo", "w&lt;/w&gt;"], ...]}</c>.
/// </summary>
public sealed class BpeVocabulary
{
    /// <summary>The mark that ends a word's last unit.</summary>
    public const string EndOfWord = "</w>";

    private readonly (string Left, string Right)[] _merges;
    private readonly Dictionary<(string, string), int> _rank;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string[]> _cache = new(StringComparer.Ordinal); // safe to share between threads

    private BpeVocabulary((string, string)[] merges)
    {
        _merges = merges;
        _rank = new Dictionary<(string, string), int>(merges.Length);
        for (int i = 0; i < merges.Length; i++) _rank.TryAdd(merges[i], i);
    }

    /// <summary>The merges in the order learnt.</summary>
    public IReadOnlyList<(string Left, string Right)> Merges => _merges;

    /// <summary>
    /// Learns at most <paramref name="merges"/> merges from <paramref name="sentences"/> (their words, already
    /// tokenized); stops early when no pair occurs twice.
    /// </summary>
    public static BpeVocabulary Learn(IEnumerable<IReadOnlyList<string>> sentences, int merges)
    {
        ArgumentNullException.ThrowIfNull(sentences);
        ArgumentOutOfRangeException.ThrowIfNegative(merges);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var sentence in sentences)
            foreach (string word in sentence)
                if (!string.IsNullOrEmpty(word)) counts[word] = counts.GetValueOrDefault(word) + 1;
        var words = counts.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => (Units: Split(kv.Key), Count: kv.Value)).ToList();
        // Pair counts over the words' frequencies, and which words hold each pair, kept up to date as merges apply:
        // a merge touches only the words that hold its pair.
        var pairs = new Dictionary<(string, string), long>();
        var holders = new Dictionary<(string, string), HashSet<int>>();
        void Count(int w, long sign)
        {
            var (units, count) = words[w];
            for (int i = 0; i + 1 < units.Count; i++)
            {
                var pair = (units[i], units[i + 1]);
                long c = pairs.GetValueOrDefault(pair) + (sign * count);
                if (c == 0) pairs.Remove(pair);
                else pairs[pair] = c;
                if (sign > 0)
                {
                    if (!holders.TryGetValue(pair, out var set)) holders[pair] = set = [];
                    set.Add(w);
                }
            }
        }
        for (int w = 0; w < words.Count; w++) Count(w, +1);
        var learnt = new List<(string, string)>();
        while (learnt.Count < merges)
        {
            (string Left, string Right) best = ("", "");
            long bestCount = 1; // a pair must occur at least twice to be worth a unit
            foreach (var (pair, count) in pairs)
            {
                if (count > bestCount || (count == bestCount && bestCount > 1 && Compare(pair, best) < 0))
                {
                    best = pair;
                    bestCount = count;
                }
            }
            if (bestCount < 2) break;
            learnt.Add(best);
            foreach (int w in holders[best].Order().ToArray())
            {
                Count(w, -1);
                Merge(words[w].Units, best.Left, best.Right);
                Count(w, +1);
            }
            holders.Remove(best);
        }
        return new BpeVocabulary([.. learnt]);
    }

    private static int Compare((string, string) a, (string, string) b)
    {
        int c = string.CompareOrdinal(a.Item1, b.Item1);
        return c != 0 ? c : string.CompareOrdinal(a.Item2, b.Item2);
    }

    // The word's characters (whole code points), the last with the end-of-word mark.
    private static List<string> Split(string word)
    {
        var units = word.EnumerateRunes().Select(r => r.ToString()).ToList();
        units[^1] += EndOfWord;
        return units;
    }

    private static void Merge(List<string> units, string left, string right)
    {
        for (int i = 0; i + 1 < units.Count; i++)
        {
            if (units[i] != left || units[i + 1] != right) continue;
            units[i] = left + right;
            units.RemoveAt(i + 1);
        }
    }

    /// <summary>The units of one word: the learnt merges applied by rank (the earliest learnt first).</summary>
    public string[] EncodeWord(string word) => (string[])Units(word).Clone();

    // The cached units of a word (callers must not change the array).
    private string[] Units(string word)
    {
        ArgumentException.ThrowIfNullOrEmpty(word);
        if (_cache.TryGetValue(word, out var cached)) return cached;
        var units = Split(word);
        while (units.Count > 1)
        {
            int bestAt = -1, bestRank = int.MaxValue;
            for (int i = 0; i + 1 < units.Count; i++)
                if (_rank.TryGetValue((units[i], units[i + 1]), out int r) && r < bestRank) (bestAt, bestRank) = (i, r);
            if (bestAt < 0) break;
            var (left, right) = _merges[bestRank];
            Merge(units, left, right);
        }
        var result = units.ToArray();
        if (_cache.Count < 1 << 16) _cache.TryAdd(word, result);
        return result;
    }

    /// <summary>The units of a sentence's words, in order.</summary>
    public string[] Encode(IReadOnlyList<string> words)
    {
        ArgumentNullException.ThrowIfNull(words);
        return words.SelectMany(Units).ToArray();
    }

    /// <summary>The words that <paramref name="units"/> spell (a last word without its end mark is kept too).</summary>
    public static string[] Decode(IReadOnlyList<string> units)
    {
        ArgumentNullException.ThrowIfNull(units);
        var words = new List<string>();
        var current = new System.Text.StringBuilder();
        foreach (string unit in units)
        {
            if (unit.EndsWith(EndOfWord, StringComparison.Ordinal))
            {
                current.Append(unit.AsSpan(0, unit.Length - EndOfWord.Length));
                words.Add(current.ToString());
                current.Clear();
            }
            else current.Append(unit);
        }
        if (current.Length > 0) words.Add(current.ToString());
        return [.. words];
    }

    /// <summary>The JSON form (see the type's summary).</summary>
    public string ToJson()
    {
        var merges = new JsonArray();
        foreach (var (l, r) in _merges) merges.Add(new JsonArray(l, r));
        return new JsonObject { ["merges"] = merges }.ToJsonString(new JsonSerializerOptions { WriteIndented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    /// <summary>Reads the JSON form.</summary>
    /// <exception cref="InvalidDataException">The JSON is malformed or a merge is not a pair of non-empty strings.</exception>
    public static BpeVocabulary FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var root = DataJson.Parse(json, "the subword merges");
        if (root is not JsonObject o || o["merges"] is not JsonArray list) throw new InvalidDataException("the subword merges have no \"merges\" list.");
        var merges = new (string, string)[list.Count];
        for (int i = 0; i < merges.Length; i++)
        {
            if (list[i] is not JsonArray { Count: 2 } pair || pair[0] is not JsonValue a || pair[1] is not JsonValue b
                || a.GetValueKind() != JsonValueKind.String || b.GetValueKind() != JsonValueKind.String
                || a.GetValue<string>() is not { Length: > 0 } left || b.GetValue<string>() is not { Length: > 0 } right)
                throw new InvalidDataException($"subword merge {i} is not a pair of non-empty strings.");
            merges[i] = (left, right);
        }
        return new BpeVocabulary(merges);
    }
}
