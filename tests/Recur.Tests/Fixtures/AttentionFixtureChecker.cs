// B batch, S source steps, Hq query features, Hk key features
using Recur.Autograd;
using Recur.NN;

namespace Recur.Tests.Fixtures;

/// <summary>
/// The <c>attention</c> fixtures (Bahdanau and Luong scores written from the papers' equations in PyTorch, see
/// <c>generate_attention_fixtures.py</c>): loads the parameters into an <see cref="Attention"/>, compares the context
/// and weights, then backpropagates sum(context * seed.context) + sum(weights * seed.weights) and compares the
/// gradients of the memory, the query and every parameter.
/// </summary>
public class AttentionFixtureChecker
{
    /// <summary>Within 1e-5 x max(1, max |ref|) of the float64 reference.</summary>
    public const double Tolerance = 1e-5;

    internal static void Check(Fixture f)
    {
        Assert.True(f.Module == "Attention", $"{f.Path}: no checker for attention module '{f.Module}'.");
        string name = f.Text("score", "");
        var score = name switch
        {
            "bahdanau" => AttentionScore.Bahdanau,
            "dot" => AttentionScore.Dot,
            "general" => AttentionScore.General,
            "concat" => AttentionScore.Concat,
            _ => throw new ArgumentException($"{f.Path}: unknown attention score '{name}'."),
        };
        var att = new Attention(score, (int)f.Number("query_size", 0), (int)f.Number("key_size", 0), (int)f.Number("attention_size", 0));
        var named = att.NamedParameters().ToDictionary(p => p.Key, p => p.Value);
        foreach (var key in f.File.Tensors.Keys.Where(k => k.StartsWith("param.", StringComparison.Ordinal)))
        {
            string param = key["param.".Length..];
            Assert.True(named.TryGetValue(param, out var p), $"{f.Path}: the attention has no parameter '{param}'.");
            f.Tensor(key).Span.CopyTo(p!.Value.Span);
        }
        Assert.Equal(named.Count, f.File.Tensors.Keys.Count(k => k.StartsWith("param.", StringComparison.Ordinal)));
        var memory = new Variable(f.Tensor("memory"), requiresGrad: true);
        var query = new Variable(f.Tensor("query"), requiresGrad: true);
        int[] lengths = RecurrentFixtureSupport.Lengths(f) ?? Enumerable.Repeat(memory.Size(0), memory.Size(1)).ToArray();
        var (context, weights) = att.Forward(query, att.Prepare(memory, lengths));
        Fixture.AssertClose("context", f.Tensor("context"), context.Value, Tolerance);
        Fixture.AssertClose("weights", f.Tensor("weights"), weights.Value, Tolerance);
        var loss = Ops.Add(Ops.Sum(Ops.Mul(context, new Variable(f.Tensor("seed.context")))), Ops.Sum(Ops.Mul(weights, new Variable(f.Tensor("seed.weights")))));
        loss.Backward();
        Fixture.AssertClose("grad.memory", f.Tensor("grad.memory"), memory.Grad!, Tolerance);
        Fixture.AssertClose("grad.query", f.Tensor("grad.query"), query.Grad!, Tolerance);
        foreach (var (param, p) in named) Fixture.AssertClose($"grad.param.{param}", f.Tensor($"grad.param.{param}"), p.Grad!, Tolerance);
    }

    [Fact]
    public void AttentionFixturesAreCheckedNotSkipped()
    {
        Assert.Equal(Check, FixtureCheckers.For("attention"));
        Assert.True(FixtureCatalog.GeneratedFiles().Count(file => Path.GetFileName(file).StartsWith("attention_", StringComparison.Ordinal)) >= 4);
    }
}
