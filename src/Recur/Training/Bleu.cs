using System.Globalization;

namespace Recur.Training;

/// <summary>The statistics and score of a corpus BLEU (see <see cref="Bleu"/>).</summary>
/// <param name="Score">BLEU on sacrebleu's 0-100 scale.</param>
/// <param name="Correct">Matched n-grams of orders 1..4 (clipped by the reference counts).</param>
/// <param name="Total">Hypothesis n-grams of orders 1..4.</param>
/// <param name="Precisions">The n-gram precisions in percent, smoothed as the score used them.</param>
/// <param name="BrevityPenalty">exp(1 - r / c) when the hypotheses are shorter than the references, else 1.</param>
/// <param name="HypothesisLength">Tokens in all hypotheses (c).</param>
/// <param name="ReferenceLength">Tokens in all references (r).</param>
/// <param name="Tokenizer">The tokenizer's name, as sacrebleu's signature writes it (13a, zh, none).</param>
public sealed record BleuScore(double Score, long[] Correct, long[] Total, double[] Precisions, double BrevityPenalty,
    long HypothesisLength, long ReferenceLength, string Tokenizer)
{
    /// <summary>sacrebleu's one-line summary, e.g. "BLEU = 23.45 55.1/29.8/17.6/10.3 (BP = 0.968 ratio = 0.969 hyp_len = 1234 ref_len = 1273)".</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"BLEU = {Score:F2} {string.Join('/', Precisions.Select(p => p.ToString("F1", CultureInfo.InvariantCulture)))} (BP = {BrevityPenalty:F3} ratio = {(ReferenceLength > 0 ? (double)HypothesisLength / ReferenceLength : 0):F3} hyp_len = {HypothesisLength} ref_len = {ReferenceLength})");
}

/// <summary>The tokenizers BLEU is computed over, as sacrebleu names them.</summary>
public enum BleuTokenization
{
    /// <summary>mteval-v13a, sacrebleu's default (for English and other Western targets).</summary>
    Mteval13a,

    /// <summary>sacrebleu's <c>zh</c>: every Chinese character a token, the rest as 13a (for Chinese targets).</summary>
    Chinese,

    /// <summary>The text as it is, split on whitespace.</summary>
    None,
}

/// <summary>
/// Corpus BLEU (Papineni et al. 2002) exactly as sacrebleu 2.x computes it with its defaults: one reference per
/// hypothesis, n-grams up to 4, the brevity penalty over the whole corpus, exponential smoothing (mteval's method 3:
/// an n-gram order without matches counts as 1 / (2^k * total) for its k-th such order), mixed case, and the 13a or zh
/// tokenizer. Each line is right-stripped and tokenized, then split on whitespace (Python's definition of it).
/// </summary>
public static class Bleu
{
    /// <summary>The highest n-gram order.</summary>
    public const int MaxOrder = 4;

    /// <summary>Corpus BLEU of <paramref name="hypotheses"/> against <paramref name="references"/> (one each, same order).</summary>
    /// <exception cref="ArgumentException">The two lists differ in length.</exception>
    public static BleuScore Corpus(IReadOnlyList<string> hypotheses, IReadOnlyList<string> references, BleuTokenization tokenization = BleuTokenization.Mteval13a)
    {
        ArgumentNullException.ThrowIfNull(hypotheses);
        ArgumentNullException.ThrowIfNull(references);
        if (hypotheses.Count != references.Count)
            throw new ArgumentException($"BLEU needs one reference per hypothesis, got {hypotheses.Count} hypotheses and {references.Count} references.");
        var correct = new long[MaxOrder];
        var total = new long[MaxOrder];
        long hypLength = 0, refLength = 0;
        for (int i = 0; i < hypotheses.Count; i++)
        {
            var hyp = Tokens(hypotheses[i] ?? throw new ArgumentException($"hypothesis {i} is null."), tokenization);
            var reference = Tokens(references[i] ?? throw new ArgumentException($"reference {i} is null."), tokenization);
            hypLength += hyp.Length;
            refLength += reference.Length;
            for (int n = 1; n <= MaxOrder; n++)
            {
                var refCounts = NGramCounts(reference, n);
                foreach (var (ngram, count) in NGramCounts(hyp, n))
                {
                    total[n - 1] += count;
                    if (refCounts.TryGetValue(ngram, out int r)) correct[n - 1] += Math.Min(count, r);
                }
            }
        }
        return FromStatistics(correct, total, hypLength, refLength, BleuTokenizers.Name(tokenization));
    }

    /// <summary>The score from summed statistics, as sacrebleu's <c>compute_bleu</c> with <c>smooth_method='exp'</c>.</summary>
    public static BleuScore FromStatistics(long[] correct, long[] total, long hypothesisLength, long referenceLength, string tokenizer)
    {
        ArgumentNullException.ThrowIfNull(correct);
        ArgumentNullException.ThrowIfNull(total);
        if (correct.Length != MaxOrder || total.Length != MaxOrder) throw new ArgumentException($"BLEU statistics hold {MaxOrder} orders.");
        double bp = 1.0;
        if (hypothesisLength < referenceLength) bp = hypothesisLength > 0 ? Math.Exp(1 - ((double)referenceLength / hypothesisLength)) : 0.0;
        var precisions = new double[MaxOrder];
        if (correct.All(c => c == 0)) return new BleuScore(0, correct, total, precisions, bp, hypothesisLength, referenceLength, tokenizer);
        double smooth = 1;
        for (int n = 0; n < MaxOrder; n++)
        {
            if (total[n] == 0) break; // later orders stay 0, which the log floors
            if (correct[n] == 0)
            {
                smooth *= 2;
                precisions[n] = 100.0 / (smooth * total[n]);
            }
            else precisions[n] = 100.0 * correct[n] / total[n];
        }
        double sum = 0;
        foreach (double p in precisions) sum += p == 0 ? -9999999999 : Math.Log(p); // sacrebleu's my_log
        return new BleuScore(bp * Math.Exp(sum / MaxOrder), correct, total, precisions, bp, hypothesisLength, referenceLength, tokenizer);
    }

    private static string[] Tokens(string line, BleuTokenization tokenization) =>
        PythonText.Split(BleuTokenizers.Tokenize(PythonText.RStrip(line), tokenization));

    // Every n-gram of order n, its tokens joined by single spaces (tokens hold no whitespace), with its count.
    private static Dictionary<string, int> NGramCounts(string[] tokens, int n)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i + n <= tokens.Length; i++)
        {
            string key = n == 1 ? tokens[i] : string.Join(' ', tokens, i, n);
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }
        return counts;
    }
}
