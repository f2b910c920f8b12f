// S source steps, T target steps (the target plus one: <s> in front for the inputs, </s> behind for the outputs), B batch
using System.Text;

namespace Recur.Data;

/// <summary>
/// Tokens of one language for translation: Chinese (<c>zh</c>, also <c>cmn</c>) in characters with
/// <see cref="ChineseTokenizer"/>; any other language in words with <see cref="WordTokenizer"/>. Detokenizing joins the
/// tokens back into a sentence: CJK characters without spaces, words with spaces, no space before closing punctuation.
/// </summary>
public sealed class LanguageTokenizer
{
    private readonly ChineseTokenizer? _chinese;
    private readonly WordTokenizer? _words;

    /// <summary>Creates the tokenizer of <paramref name="language"/> (an ISO code such as en or zh).</summary>
    public LanguageTokenizer(string language, bool lowercase, bool splitPunctuation)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(language);
        Language = language.ToLowerInvariant();
        if (IsChinese(Language)) _chinese = new ChineseTokenizer(lowercase, splitPunctuation);
        else _words = new WordTokenizer(lowercase, splitPunctuation);
    }

    /// <summary>The language code, lower-cased.</summary>
    public string Language { get; }

    /// <summary>Whether <paramref name="language"/> is Chinese (zh, cmn, or a zh- / zh_ variant).</summary>
    public static bool IsChinese(string language) =>
        language is "zh" or "cmn" || language.StartsWith("zh-", StringComparison.OrdinalIgnoreCase) || language.StartsWith("zh_", StringComparison.OrdinalIgnoreCase);

    /// <summary>The tokens of <paramref name="text"/>.</summary>
    public string[] Tokenize(string text) => _chinese?.Tokenize(text) ?? _words!.Tokenize(text);

    /// <summary>The tokens as a sentence (see the type's summary).</summary>
    public string Detokenize(IReadOnlyList<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var sb = new StringBuilder();
        for (int i = 0; i < tokens.Count; i++)
        {
            string t = tokens[i];
            if (i > 0 && NeedsSpace(tokens[i - 1], t)) sb.Append(' ');
            sb.Append(t);
        }
        return sb.ToString();
    }

    private static bool NeedsSpace(string previous, string next)
    {
        if (Cjk(previous) || Cjk(next)) return false;
        if (next is "," or "." or "!" or "?" or ";" or ":" or "%" or ")" or "]" or "}" or "..." || next.StartsWith('\'')) return false;
        if (previous is "(" or "[" or "{" or "$") return false;
        return true;
    }

    private static bool Cjk(string token) => token.EnumerateRunes().Any(r => ChineseTokenizer.IsCjk(r.Value));
}

/// <summary>One batch of sentence pairs for an encoder-decoder, every array time first and 0 past each length.</summary>
/// <param name="Source">[S, B] source ids.</param>
/// <param name="SourceSteps">S.</param>
/// <param name="SourceLengths">[B] source lengths (1..S).</param>
/// <param name="TargetInput">[T, B]: &lt;s&gt; then the target ids.</param>
/// <param name="TargetOutput">[T, B]: the target ids then &lt;/s&gt;.</param>
/// <param name="TargetSteps">T.</param>
/// <param name="Indices">[B] the pairs' indices in their data set.</param>
public sealed record TranslationBatch(int[] Source, int SourceSteps, int[] SourceLengths, int[] TargetInput, int[] TargetOutput, int TargetSteps, int[] Indices)
{
    /// <summary>B.</summary>
    public int Size => Indices.Length;

    /// <summary>Target tokens predicted (the end tokens counted), the loss's denominator.</summary>
    public int TargetTokens => TargetOutput.Count(id => id != 0);
}

/// <summary>
/// Sentence pairs as ids for translation: source and target tokens through their <see cref="LanguageTokenizer"/>s,
/// looked up in the vocabularies (unknown words become &lt;unk&gt;; the target's has &lt;s&gt; and &lt;/s&gt; at ids 2
/// and 3). Pairs whose source or target is longer than the given maximum are cut to it.
/// </summary>
public sealed class TranslationData
{
    /// <summary>The id of &lt;s&gt; in a target vocabulary built by <see cref="BuildVocabulary"/>.</summary>
    public const int BosId = 2;

    /// <summary>The id of &lt;/s&gt;.</summary>
    public const int EosId = 3;

    /// <summary>The reserved tokens of a translation vocabulary, after &lt;pad&gt; and &lt;unk&gt;.</summary>
    public static readonly string[] Reserved = ["<s>", "</s>"];

    private readonly int[][] _source, _target;

    /// <summary>Encodes <paramref name="pairs"/> (source, target) with the given tokenizers and vocabularies.</summary>
    public TranslationData(IReadOnlyList<(string Source, string Target)> pairs, LanguageTokenizer sourceTokenizer, LanguageTokenizer targetTokenizer,
        WordVocabulary sourceVocabulary, WordVocabulary targetVocabulary, int maxLength = 100)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        ArgumentNullException.ThrowIfNull(sourceTokenizer);
        ArgumentNullException.ThrowIfNull(targetTokenizer);
        ArgumentNullException.ThrowIfNull(sourceVocabulary);
        ArgumentNullException.ThrowIfNull(targetVocabulary);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
        if (targetVocabulary.Size < 4 || targetVocabulary[BosId] != Reserved[0] || targetVocabulary[EosId] != Reserved[1])
            throw new ArgumentException("the target vocabulary must hold <s> and </s> at ids 2 and 3 (build it with TranslationData.BuildVocabulary).", nameof(targetVocabulary));
        _source = new int[pairs.Count][];
        _target = new int[pairs.Count][];
        for (int i = 0; i < pairs.Count; i++)
        {
            var s = sourceVocabulary.Encode(sourceTokenizer.Tokenize(pairs[i].Source));
            var t = targetVocabulary.Encode(targetTokenizer.Tokenize(pairs[i].Target));
            _source[i] = s.Length > maxLength ? s[..maxLength] : s.Length == 0 ? [WordVocabulary.UnknownId] : s;
            _target[i] = t.Length > maxLength ? t[..maxLength] : t;
        }
        Sources = pairs.Select(p => p.Source).ToArray();
        Targets = pairs.Select(p => p.Target).ToArray();
    }

    /// <summary>N: pairs.</summary>
    public int Count => _source.Length;

    /// <summary>The source sentences as given.</summary>
    public IReadOnlyList<string> Sources { get; }

    /// <summary>The target sentences as given (the references).</summary>
    public IReadOnlyList<string> Targets { get; }

    /// <summary>Each pair's source length in tokens (at least 1).</summary>
    public int[] SourceLengths => _source.Select(s => s.Length).ToArray();

    /// <summary>The source ids of pair <paramref name="i"/>.</summary>
    public ReadOnlySpan<int> SourceIds(int i) => _source[i];

    /// <summary>The target ids of pair <paramref name="i"/>.</summary>
    public ReadOnlySpan<int> TargetIds(int i) => _target[i];

    /// <summary>A vocabulary of <paramref name="sentences"/> (tokenized) with &lt;s&gt; and &lt;/s&gt; reserved at ids 2 and 3.</summary>
    public static WordVocabulary BuildVocabulary(IEnumerable<string> sentences, LanguageTokenizer tokenizer, int minCount = 1, int? maxSize = null)
    {
        ArgumentNullException.ThrowIfNull(sentences);
        ArgumentNullException.ThrowIfNull(tokenizer);
        return WordVocabulary.Build(sentences.Select(s => (IReadOnlyList<string>)tokenizer.Tokenize(s)), minCount, maxSize, Reserved);
    }

    /// <summary>The pairs <paramref name="indices"/> as one batch (see <see cref="TranslationBatch"/>).</summary>
    public TranslationBatch Batch(int[] indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        return BatchOf(indices.Select(i => _source[i]).ToArray(), indices.Select(i => _target[i]).ToArray(), indices);
    }

    /// <summary>
    /// Source and target id sequences (no start or end tokens; a source at least 1 long) as one time-first batch, with
    /// <see cref="BosId"/> before each target input and <see cref="EosId"/> after each target output.
    /// </summary>
    public static TranslationBatch BatchOf(IReadOnlyList<int[]> sources, IReadOnlyList<int[]> targets, int[]? indices = null)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(targets);
        if (sources.Count == 0 || sources.Count != targets.Count) throw new ArgumentException($"A batch needs at least one pair and as many targets as sources, got {sources.Count} and {targets.Count}.");
        if (sources.Any(x => x.Length == 0)) throw new ArgumentException("Every source needs at least one token.", nameof(sources));
        int b = sources.Count, s = sources.Max(x => x.Length), t = targets.Max(y => y.Length) + 1;
        var src = new int[s * b];
        var tin = new int[t * b];
        var tout = new int[t * b];
        var lengths = new int[b];
        for (int k = 0; k < b; k++)
        {
            var x = sources[k];
            var y = targets[k];
            lengths[k] = x.Length;
            for (int j = 0; j < x.Length; j++) src[(j * b) + k] = x[j];
            tin[k] = BosId;
            for (int j = 0; j < y.Length; j++)
            {
                tin[((j + 1) * b) + k] = y[j];
                tout[(j * b) + k] = y[j];
            }
            tout[(y.Length * b) + k] = EosId;
        }
        return new TranslationBatch(src, s, lengths, tin, tout, t, indices is null ? Enumerable.Range(0, b).ToArray() : (int[])indices.Clone());
    }
}
