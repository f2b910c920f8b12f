using Recur.Autograd;
using Recur.NN;

namespace Recur.Tests.Fixtures;

/// <summary>
/// The <c>loss</c> fixtures (PyTorch's <c>CrossEntropyLoss</c>): <c>logits</c>, <c>target</c> (I64), optional
/// <c>weight</c>, the <c>loss</c> and <c>grad.logits</c> (of <c>loss.sum()</c> for reduction none), with
/// ignore_index, label_smoothing and reduction from the config (PyTorch's defaults when absent).
/// </summary>
public class LossFixtureTests
{
    /// <summary>Loss and gradient within 1e-5 x max(1, max |ref|) of the float64 reference.</summary>
    public const double Tolerance = 1e-5;

    internal static void Check(Fixture fixture)
    {
        Assert.True(fixture.Module == "CrossEntropyLoss", $"{fixture.Path}: no checker for loss module '{fixture.Module}'.");
        string reduction = fixture.Text("reduction", "mean");
        var loss = new CrossEntropyLoss(
            fixture.Has("weight") ? fixture.Tensor("weight") : null,
            (long)fixture.Number("ignore_index", -100),
            fixture.Number("label_smoothing", 0),
            reduction.ToUpperInvariant() switch
            {
                "MEAN" => Reduction.Mean,
                "SUM" => Reduction.Sum,
                "NONE" => Reduction.None,
                _ => throw new ArgumentException($"{fixture.Path}: unknown reduction '{reduction}'."),
            });
        var logits = new Variable(fixture.Tensor("logits"), requiresGrad: true);
        var output = loss.Forward(logits, fixture.Int64("target"));

        var expected = fixture.Tensor("loss");
        Assert.True(expected.Length == output.Value.Length,
            $"{fixture.Path}: the reference loss has shape {Tensor.FormatShape(expected.Shape)}, ours {Tensor.FormatShape(output.Shape)}.");
        Fixture.AssertClose("loss", expected, output.Value.Reshape(expected.ShapeArray), Tolerance);

        output.Backward(Tensor.Ones(output.Value.ShapeArray));  // d loss.sum() / d logits
        Fixture.AssertClose("grad.logits", fixture.Tensor("grad.logits"), logits.Grad!, Tolerance);
    }

    [Fact]
    public void LossFixturesAreCheckedNotSkipped()
    {
        Assert.Equal(Check, FixtureCheckers.For("loss"));
        Assert.True(FixtureCatalog.BundledFiles().Count(f => Path.GetFileName(f).StartsWith("ce_", StringComparison.Ordinal)) >= 3);
    }
}
