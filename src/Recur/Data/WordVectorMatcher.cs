namespace Recur.Data;

/// <summary>
/// Which vocabulary rows a word of a vectors file fills: its exact id first; with the lowercase fallback also the
/// words equal to it but for case that no exact line has filled (and no earlier fallback). The two special words
/// are skipped.
/// </summary>
internal sealed class WordVectorMatcher
{
    private const byte None = 0, ByLowercase = 1, Exact = 2;

    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _exact;
    private readonly Dictionary<string, int[]>.AlternateLookup<ReadOnlySpan<char>>? _lower;
    private readonly byte[] _state;
    private char[] _buffer = new char[64];

    public WordVectorMatcher(WordVocabulary vocabulary, bool lowercaseFallback)
    {
        var exact = new Dictionary<string, int>(vocabulary.Size, StringComparer.Ordinal);
        for (int id = 2; id < vocabulary.Size; id++) exact[vocabulary[id]] = id;
        _exact = exact.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lowercaseFallback)
        {
            var lower = Enumerable.Range(2, vocabulary.Size - 2)
                .GroupBy(id => vocabulary[id].ToLowerInvariant(), StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
            _lower = lower.GetAlternateLookup<ReadOnlySpan<char>>();
        }
        _state = new byte[vocabulary.Size];
        Found = new bool[vocabulary.Size];
    }

    public bool[] Found { get; }

    public int FoundCount { get; private set; }

    public int LowercaseMatches { get; private set; }

    /// <summary>Sets <paramref name="ids"/> to the ids that <paramref name="word"/>'s vector should fill (often none).</summary>
    public void Match(ReadOnlySpan<char> word, List<int> ids)
    {
        ids.Clear();
        if (_exact.TryGetValue(word, out int id) && _state[id] != Exact)
        {
            ids.Add(id);
            if (_state[id] == ByLowercase) LowercaseMatches--;
            else FoundCount++;
            _state[id] = Exact;
            Found[id] = true;
        }
        if (_lower is not { } lower) return;
        if (_buffer.Length < word.Length) _buffer = new char[word.Length * 2];
        int length = word.ToLowerInvariant(_buffer);
        if (!lower.TryGetValue(_buffer.AsSpan(0, length), out int[]? same)) return;
        foreach (int other in same)
        {
            if (_state[other] != None) continue;
            ids.Add(other);
            _state[other] = ByLowercase;
            Found[other] = true;
            FoundCount++;
            LowercaseMatches++;
        }
    }
}
