// B batch, S source steps, Hq query features, Hk key features, A attention size
using Recur.Autograd;
using Recur.NN;
using Recur.Tests.Autograd;

namespace Recur.Tests.NN;

/// <summary>Bahdanau and Luong attention: against a plain double-precision loop, masks, gradients, keys projected once.</summary>
public class AttentionTests
{
    private const int B = 3, S = 4, Hq = 5, Hk = 5, A = 6;
    private static readonly int[] Lengths = [4, 1, 2];

    public static TheoryData<AttentionScore> Scores => new() { AttentionScore.Bahdanau, AttentionScore.Dot, AttentionScore.General, AttentionScore.Concat };

    private static Attention Make(AttentionScore score, ulong seed = 3) => new(score, Hq, Hk, A, new RandomGenerator(seed));

    [Theory]
    [MemberData(nameof(Scores))]
    public void ContextAndWeightsAreThoseOfAPlainLoop(AttentionScore score)
    {
        var att = Make(score);
        var memory = GradCheck.Rand(1, S, B, Hk);
        var query = GradCheck.Rand(2, B, Hq);
        var (context, weights) = att.Forward(new Variable(query), att.Prepare(new Variable(memory), Lengths));
        var (refContext, refWeights) = Reference(att, query, memory, Lengths);
        for (int i = 0; i < refWeights.Length; i++) Assert.Equal(refWeights[i], weights.Value.Span[i], 1e-5);
        for (int i = 0; i < refContext.Length; i++) Assert.Equal(refContext[i], context.Value.Span[i], 1e-5);
    }

    [Theory]
    [MemberData(nameof(Scores))]
    public void PaddedStepsGetExactlyZeroWeightAndChangeNothing(AttentionScore score)
    {
        var att = Make(score);
        var memory = GradCheck.Rand(4, S, B, Hk);
        var query = new Variable(GradCheck.Rand(5, B, Hq));
        var (context, weights) = att.Forward(query, att.Prepare(new Variable(memory), Lengths));
        var w = weights.Value.Span;
        for (int b = 0; b < B; b++)
        {
            double sum = 0;
            for (int s = 0; s < S; s++)
            {
                if (s >= Lengths[b]) Assert.Equal(0f, w[(b * S) + s]);
                sum += w[(b * S) + s];
            }
            Assert.Equal(1, sum, 1e-6);
        }
        // Whatever the padding holds (here: large values), the result is bitwise the same.
        var noisy = memory.Clone();
        for (int s = 0; s < S; s++)
            for (int b = 0; b < B; b++)
                if (s >= Lengths[b])
                    for (int h = 0; h < Hk; h++) noisy.Span[(((s * B) + b) * Hk) + h] = 50f + s + h;
        var (context2, weights2) = att.Forward(query, att.Prepare(new Variable(noisy), Lengths));
        Assert.Equal(context.Value.ToArray(), context2.Value.ToArray());
        Assert.Equal(weights.Value.ToArray(), weights2.Value.ToArray());
    }

    [Theory]
    [MemberData(nameof(Scores))]
    public void GradientsMatchCentralDifferences(AttentionScore score)
    {
        var att = Make(score, 7);
        var memory = GradCheck.Rand(8, S, B, Hk);
        var query = GradCheck.Rand(9, B, Hq);
        // Through the context and the weights together, as a decoder uses both (input feeding, pictures).
        Variable Both(Variable q, Variable m)
        {
            var (c, w) = att.Forward(q, att.Prepare(m, Lengths));
            return Ops.Concat([Ops.Reshape(c, -1), Ops.Reshape(w, -1)]);
        }
        GradCheck.Check(v => Both(v[0], v[1]), [query, memory]);
        if (score != AttentionScore.Dot) GradCheck.CheckParameters(() => Both(new Variable(query), new Variable(memory)), att); // dot has none
    }

    [Fact]
    public void KeysAreProjectedOncePerMemoryAndReusedByEveryStep()
    {
        var att = Make(AttentionScore.Bahdanau);
        var memory = att.Prepare(new Variable(GradCheck.Rand(10, S, B, Hk)), Lengths);
        var keys = memory.Keys;
        Assert.NotNull(keys);
        Assert.Equal([B, S, A], keys!.Shape.ToArray());
        // A step reads the keys projected at Prepare: changing W_k afterwards changes nothing until the next Prepare.
        var query = new Variable(GradCheck.Rand(11, B, Hq));
        var before = att.Forward(query, memory).Context.Value.ToArray();
        att.KeyLayer!.Weight.Value.Span.Fill(0.5f);
        Assert.Equal(before, att.Forward(query, memory).Context.Value.ToArray());
        Assert.NotEqual(before, att.Forward(query, att.Prepare(new Variable(GradCheck.Rand(10, S, B, Hk)), Lengths)).Context.Value.ToArray());
        Assert.Null(Make(AttentionScore.Dot).Prepare(new Variable(GradCheck.Rand(10, S, B, Hk)), Lengths).Keys); // dot reads the values
    }

    [Fact]
    public void NamesSizesAndBadInput()
    {
        Assert.Equal(["query.weight", "key.weight", "key.bias", "v.weight"], Make(AttentionScore.Bahdanau).NamedParameters().Select(p => p.Key));
        Assert.Equal(["linear_in.weight"], Make(AttentionScore.General).NamedParameters().Select(p => p.Key));
        Assert.Equal([A, Hq + Hk], Make(AttentionScore.Concat).LinearIn!.Weight.Shape.ToArray());
        Assert.Empty(Make(AttentionScore.Dot).NamedParameters());
        Assert.Throws<ArgumentException>(() => new Attention(AttentionScore.Dot, 4, 6));
        var att = Make(AttentionScore.General);
        var m = new Variable(GradCheck.Rand(1, S, B, Hk));
        Assert.Throws<ArgumentException>(() => att.Prepare(m, [4, 0, 2]));
        Assert.Throws<ArgumentException>(() => att.Prepare(m, [4, 5, 2]));
        Assert.Throws<ArgumentException>(() => att.Prepare(m, [4, 1]));
        Assert.Throws<ArgumentException>(() => att.Forward(new Variable(GradCheck.Rand(2, B, Hq + 1)), att.Prepare(m, Lengths)));
    }

    // The formulas, element by element in double, with the module's weights.
    private static (double[] Context, double[] Weights) Reference(Attention att, Tensor query, Tensor memory, int[] lengths)
    {
        var q = query.Span.ToArray();
        var mem = memory.Span.ToArray();
        double K(int s, int b, int h) => mem[(((s * B) + b) * Hk) + h];
        var context = new double[B * Hk];
        var weights = new double[B * S];
        for (int b = 0; b < B; b++)
        {
            var score = new double[lengths[b]];
            for (int s = 0; s < lengths[b]; s++) score[s] = ScoreOf(att, q.AsSpan(b * Hq, Hq).ToArray(), Enumerable.Range(0, Hk).Select(h => K(s, b, h)).ToArray());
            double max = score.Max(), z = score.Sum(x => Math.Exp(x - max));
            for (int s = 0; s < lengths[b]; s++)
            {
                double w = Math.Exp(score[s] - max) / z;
                weights[(b * S) + s] = w;
                for (int h = 0; h < Hk; h++) context[(b * Hk) + h] += w * K(s, b, h);
            }
        }
        return (context, weights);
    }

    private static double ScoreOf(Attention att, float[] q, double[] k)
    {
        static double[] Apply(Linear l, double[] x)
        {
            var w = l.Weight.Value.Span;
            var y = new double[l.OutFeatures];
            for (int o = 0; o < y.Length; o++)
            {
                y[o] = l.Bias is null ? 0 : l.Bias.Value.Span[o];
                for (int i = 0; i < x.Length; i++) y[o] += w[(o * x.Length) + i] * x[i];
            }
            return y;
        }
        var qd = q.Select(x => (double)x).ToArray();
        switch (att.Score)
        {
            case AttentionScore.Dot:
                return qd.Zip(k).Sum(p => p.First * p.Second);
            case AttentionScore.General:
                return qd.Zip(Apply(att.LinearIn!, k)).Sum(p => p.First * p.Second);
            case AttentionScore.Bahdanau:
            {
                var hq = Apply(att.QueryLayer!, qd);
                var hk = Apply(att.KeyLayer!, k);
                return Apply(att.V!, hq.Zip(hk).Select(p => Math.Tanh(p.First + p.Second)).ToArray())[0];
            }
            default:
            {
                var h = Apply(att.LinearIn!, qd.Concat(k).ToArray());
                return Apply(att.V!, h.Select(Math.Tanh).ToArray())[0];
            }
        }
    }
}

/// <summary>Ops.BatchedMatMul (torch.bmm with transposes) against a plain loop, and its gradients.</summary>
public class BatchedMatMulTests
{
    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void ProductsAndGradientsMatchAPlainLoopAndCentralDifferences(bool transA, bool transB)
    {
        const int g = 3, m = 2, k = 4, n = 5;
        var a = GradCheck.Rand(1, transA ? [g, k, m] : [g, m, k]);
        var b = GradCheck.Rand(2, transB ? [g, n, k] : [g, k, n]);
        var y = Ops.BatchedMatMul(new Variable(a), new Variable(b), transA, transB).Value;
        Assert.Equal([g, m, n], y.Shape.ToArray());
        for (int q = 0; q < g; q++)
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                {
                    double sum = 0;
                    for (int p = 0; p < k; p++)
                        sum += (double)a.Span[(q * m * k) + (transA ? (p * m) + i : (i * k) + p)] * b.Span[(q * k * n) + (transB ? (j * k) + p : (p * n) + j)];
                    Assert.Equal(sum, y.Span[(q * m * n) + (i * n) + j], 1e-5);
                }
        GradCheck.Check(v => Ops.BatchedMatMul(v[0], v[1], transA, transB), [a, b]);
        Assert.Throws<ArgumentException>(() => Ops.BatchedMatMul(new Variable(a), new Variable(GradCheck.Rand(3, g, k + 1, n)), transA, transB));
    }
}
