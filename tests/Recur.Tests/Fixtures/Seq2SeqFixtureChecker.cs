// S source steps, T target steps, B batch, V target vocabulary
using System.Text.Json.Nodes;
using Recur.Autograd;
using Recur.Models;

namespace Recur.Tests.Fixtures;

/// <summary>
/// The <c>seq2seq</c> fixtures (an encoder-decoder built from torch.nn parts under Recur's names, see
/// <c>generate_seq2seq_fixtures.py</c>): loads every parameter by name (both ways: none missing, none extra), compares the
/// teacher-forced logits, then backpropagates sum(logits * seed.logits) and compares every parameter's gradient
/// (zeros for parameters the output never reads).
/// </summary>
public class Seq2SeqFixtureChecker
{
    /// <summary>Within 1e-4 x max(1, max |ref|) of the float64 reference (float32 through a whole encoder-decoder).</summary>
    public const double Tolerance = 1e-4;

    internal static void Check(Fixture f)
    {
        Assert.True(f.Module == "Seq2Seq", $"{f.Path}: no checker for seq2seq module '{f.Module}'.");
        var config = Seq2SeqConfig.FromJson(JsonNode.Parse(f.File.Metadata["config"]));
        var model = new Seq2Seq(config, new RandomGenerator(0));
        var named = model.NamedParameters().ToDictionary(p => p.Key, p => p.Value);
        var given = f.File.Tensors.Keys.Where(k => k.StartsWith("param.", StringComparison.Ordinal)).Select(k => k["param.".Length..]).ToHashSet();
        Assert.True(given.SetEquals(named.Keys), $"{f.Path}: parameters differ: fixture only [{string.Join(", ", given.Except(named.Keys))}], Recur only [{string.Join(", ", named.Keys.Except(given))}].");
        foreach (var (name, p) in named) f.Tensor($"param.{name}").Span.CopyTo(p.Value.Span);
        int[] source = f.Int64("source").Select(v => (int)v).ToArray(), target = f.Int64("target_input").Select(v => (int)v).ToArray();
        int[] lengths = RecurrentFixtureSupport.Lengths(f) ?? throw new InvalidDataException($"{f.Path}: no lengths.");
        int batch = lengths.Length, steps = source.Length / batch, targetSteps = target.Length / batch;
        var logits = model.TeacherForced(model.Encode(source, steps, batch, lengths), target, targetSteps);
        Fixture.AssertClose("logits", f.Tensor("logits"), logits.Value, Tolerance);
        Ops.Sum(Ops.Mul(logits, new Variable(f.Tensor("seed.logits")))).Backward();
        foreach (var (name, p) in named)
            Fixture.AssertClose($"grad.param.{name}", f.Tensor($"grad.param.{name}"), p.Grad ?? new Tensor(p.Value.ShapeArray), Tolerance);
    }

    [Fact]
    public void Seq2SeqFixturesAreCheckedNotSkipped()
    {
        Assert.Equal(Check, FixtureCheckers.For("seq2seq"));
        Assert.True(FixtureCatalog.GeneratedFiles().Count(file => Path.GetFileName(file).StartsWith("seq2seq_", StringComparison.Ordinal)) >= 5);
    }
}
