// B batch, K beam size, V target vocabulary
using Recur.Autograd;

namespace Recur.Models;

/// <summary>How <see cref="BeamSearch"/> searches.</summary>
/// <param name="BeamSize">K: candidates kept per sentence and step (1: greedy).</param>
/// <param name="LengthPenalty">GNMT's alpha: scores are log P / ((5 + n) / 6)^alpha for n tokens (the end token counted); 0 ranks by log P.</param>
/// <param name="MaxLengthRatio">A sentence's output stops after ceil(ratio x its source length) tokens (at least 1).</param>
/// <param name="NBest">Hypotheses returned per sentence, best first.</param>
public sealed record BeamOptions(int BeamSize = 5, double LengthPenalty = 0.6, double MaxLengthRatio = 2.0, int NBest = 1)
{
    /// <summary>Throws an <see cref="ArgumentException"/> naming the first value out of range.</summary>
    public void Validate()
    {
        if (BeamSize is < 1 or > 4096) throw new ArgumentException($"the beam size must be from 1 to 4096, got {BeamSize}.");
        if (!(LengthPenalty >= 0) || !double.IsFinite(LengthPenalty)) throw new ArgumentException($"the length penalty must be 0 or more, got {LengthPenalty}.");
        if (!(MaxLengthRatio > 0) || !double.IsFinite(MaxLengthRatio)) throw new ArgumentException($"the maximum length ratio must be positive, got {MaxLengthRatio}.");
        if (NBest < 1 || NBest > BeamSize) throw new ArgumentException($"the n-best count must be from 1 to the beam size ({BeamSize}), got {NBest}.");
    }

    /// <summary>The longest output for a source of <paramref name="sourceLength"/> tokens.</summary>
    public int MaxLength(int sourceLength) => Math.Max(1, (int)Math.Ceiling(MaxLengthRatio * sourceLength));

    /// <summary>GNMT's length penalty ((5 + n) / 6)^alpha.</summary>
    public double Penalty(int length) => LengthPenalty == 0 ? 1 : Math.Pow((5.0 + length) / 6.0, LengthPenalty);
}

/// <summary>A decoded output: its tokens (the end token left out), its score (log P over the length penalty) and log P.</summary>
public sealed record Hypothesis(int[] Tokens, double Score, double LogProbability);

/// <summary>
/// Beam search over a <see cref="Seq2Seq"/> decoder, batched over sentences (B x K decoder rows), each step advancing
/// the carried state by one token (never re-running a prefix). At each step a sentence keeps the K best extensions
/// of its open hypotheses by log P; those that end with the end token, or reach the sentence's maximum length, are
/// finished. A sentence is done when it has no open hypothesis or when none can still beat its N-th best finished one
/// (with alpha above 0 an open score can only fall below log P / penalty(max length)). Padding and the start token are
/// never proposed. A beam of 1 is greedy decoding, token for token.
/// </summary>
public static class BeamSearch
{
    private sealed record Open(List<int> Tokens, double LogP, int Row);

    /// <summary>The n-best hypotheses of each sentence of the source batch [S, B] (time first), in batch order.</summary>
    public static IReadOnlyList<Hypothesis>[] Decode(Seq2Seq model, int[] sourceIds, int steps, int batch, int[] lengths, BeamOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(lengths);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        int k = options.BeamSize, bos = model.Config.BosId, eos = model.Config.EosId;
        bool wasTraining = model.IsTraining;
        model.SetTraining(false);
        try
        {
            using var _ = GradMode.NoGrad();
            var state = model.Encode(sourceIds, steps, batch, lengths).Repeat(k);
            var open = new List<Open>[batch];
            var finished = new List<Hypothesis>[batch];
            var done = new bool[batch];
            var maxLength = lengths.Select(options.MaxLength).ToArray();
            var previous = new int[batch * k];
            for (int b = 0; b < batch; b++)
            {
                open[b] = [new Open([], 0, b * k)];
                finished[b] = [];
                for (int i = 0; i < k; i++) previous[(b * k) + i] = bos;
            }
            while (!done.All(d => d))
            {
                var (logits, next, _) = model.Step(previous, state);
                var logp = LogSoftmax(logits.Value);
                int v = logits.Size(1);
                var parents = new int[batch * k];
                for (int b = 0; b < batch; b++)
                {
                    for (int i = 0; i < k; i++) parents[(b * k) + i] = b * k; // inactive rows: any row of the sentence
                    if (done[b]) continue;
                    var best = TopK(open[b], logp, v, k, bos);
                    var kept = new List<Open>();
                    foreach (var (beam, token, score) in best)
                    {
                        var tokens = new List<int>(beam.Tokens) { token };
                        if (token == eos || tokens.Count >= maxLength[b])
                        {
                            var output = token == eos ? tokens.Take(tokens.Count - 1).ToArray() : tokens.ToArray();
                            finished[b].Add(new Hypothesis(output, score / options.Penalty(tokens.Count), score));
                        }
                        else
                        {
                            int row = (b * k) + kept.Count;
                            parents[row] = beam.Row;
                            previous[row] = token;
                            kept.Add(new Open(tokens, score, row));
                        }
                    }
                    open[b] = kept;
                    done[b] = kept.Count == 0 || CannotImprove(kept, finished[b], options, maxLength[b]);
                }
                state = next.Select(parents);
            }
            return finished.Select(f => (IReadOnlyList<Hypothesis>)f.OrderByDescending(h => h.Score).Take(options.NBest).ToList()).ToArray();
        }
        finally
        {
            model.SetTraining(wasTraining);
        }
    }

    // No open hypothesis can reach the n-th best finished score: log P only falls, and the penalty is largest at the
    // maximum length, so log P / penalty(max length) bounds every continuation (log P <= 0).
    private static bool CannotImprove(List<Open> open, List<Hypothesis> finished, BeamOptions options, int maxLength)
    {
        if (finished.Count < options.NBest) return false;
        double nth = finished.Select(h => h.Score).OrderByDescending(s => s).ElementAt(options.NBest - 1);
        double bound = open.Max(o => o.LogP) / options.Penalty(maxLength);
        return bound <= nth;
    }

    // The k best (beam, token, log P) extensions of the open hypotheses, best first; ties go to the earlier beam and
    // the lower token id. Padding (0) and the start token are never proposed.
    private static List<(Open Beam, int Token, double Score)> TopK(List<Open> open, double[][] logp, int v, int k, int bos)
    {
        var best = new List<(Open Beam, int Token, double Score)>(k + 1);
        foreach (var beam in open)
        {
            var row = logp[beam.Row];
            for (int token = 1; token < v; token++)
            {
                if (token == bos) continue;
                double score = beam.LogP + row[token];
                if (best.Count == k && score <= best[^1].Score) continue;
                int at = best.Count;
                while (at > 0 && best[at - 1].Score < score) at--;
                best.Insert(at, (beam, token, score));
                if (best.Count > k) best.RemoveAt(k);
            }
        }
        return best;
    }

    private static double[][] LogSoftmax(Tensor logits)
    {
        int rows = logits.Shape[0], v = logits.Shape[1];
        var s = logits.Span;
        var result = new double[rows][];
        for (int r = 0; r < rows; r++)
        {
            var row = s.Slice(r * v, v);
            double max = double.NegativeInfinity;
            foreach (float x in row) max = Math.Max(max, x);
            double sum = 0;
            foreach (float x in row) sum += Math.Exp(x - max);
            double log = max + Math.Log(sum);
            var lp = new double[v];
            for (int j = 0; j < v; j++) lp[j] = row[j] - log;
            result[r] = lp;
        }
        return result;
    }
}
