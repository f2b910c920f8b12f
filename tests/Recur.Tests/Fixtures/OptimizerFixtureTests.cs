using Recur.Autograd;
using Recur.Tests.Optim;

namespace Recur.Tests.Fixtures;

/// <summary>
/// The <c>optimizer</c> fixtures: from <c>param.init</c>, step k uses gradient <c>grads[k]</c> (clipped first when
/// the config has clip_grad_norm, whose norm before clipping is <c>clip.total_norm[k]</c>) and must give
/// <c>expected[k]</c>. The config maps to Recur's optimizer with every argument PyTorch 1.13 accepts and its defaults.
/// </summary>
public class OptimizerFixtureTests
{
    /// <summary>Parameters and norms within 1e-5 x max(1, max |ref|) of the float64 reference.</summary>
    public const double Tolerance = 1e-5;

    internal static void Check(Fixture fixture)
    {
        var config = TorchOptimizerConfig.Parse(fixture.Config, fixture.Module);
        var parameter = new Parameter(fixture.Tensor("param.init"));
        Parameter[] parameters = [parameter];
        var optimizer = config.Create(parameters);
        var grads = fixture.Tensor("grads");
        var expected = fixture.Tensor("expected");
        var norms = fixture.Has("clip.total_norm") ? fixture.Tensor("clip.total_norm") : null;
        Assert.True(grads.SameShape(expected) && grads.Rank == 2 && grads.Size(1) == parameter.Value.Length,
            $"{fixture.Path}: grads {Tensor.FormatShape(grads.Shape)} and expected {Tensor.FormatShape(expected.Shape)} must be [K, {parameter.Value.Length}].");

        for (int k = 0; k < grads.Size(0); k++)
        {
            parameter.Grad = grads[k].Clone();
            float? norm = config.Clip(parameters);
            if (norms is not null)
            {
                Assert.True(norm.HasValue, $"{fixture.Path}: the fixture has clip.total_norm but the config no clip_grad_norm.");
                Fixture.AssertClose($"clip.total_norm[{k}]", norms.Narrow(k, 1), Tensor.FromArray([norm!.Value], 1), Tolerance);
            }
            optimizer.Step();
            Fixture.AssertClose($"expected[{k}]", expected[k], parameter.Value, Tolerance);
        }
    }

    [Fact]
    public void OptimizerFixturesAreCheckedNotSkipped()
    {
        Assert.Equal(Check, FixtureCheckers.For("optimizer"));
        Assert.True(FixtureCatalog.BundledFiles().Count(f => Path.GetFileName(f).StartsWith("opt_", StringComparison.Ordinal)) >= 5);
    }
}
