using Recur.IO;

namespace Recur.Tests.Fixtures;

/// <summary>Positive controls: the recurrent and cell checkers fail when a reference value is off by more than the tolerance.</summary>
public class FixtureCheckerControlTests
{
    [Theory]
    [InlineData("torch/lstm_packed_bidir.safetensors", "grad.param.weight_hh_l0_reverse")]
    [InlineData("torch/lstm_packed_bidir.safetensors", "c_n")]
    [InlineData("torch/gru_packed.safetensors", "grad.h0")]
    [InlineData("torch/rnn_packed.safetensors", "output")]
    [InlineData("torch/lstmcell.safetensors", "grad.c0")]
    [InlineData("generated/lstm_proj_bidir_packed_2l.safetensors", "grad.param.weight_hr_l1")]
    public void ACorruptedReferenceFails(string file, string tensor)
    {
        var original = new Fixture(Path.Combine(FixtureCatalog.Root, file));
        FixtureCheckers.For(original.Kind)!(original);

        string path = Path.Combine(Path.GetTempPath(), $"recur-control-{Guid.NewGuid():N}.safetensors");
        try
        {
            var entries = original.File.Entries.Select(e =>
            {
                if (e.Name != tensor) return e;
                var values = e.ToSingleArray();
                values[values.Length / 2] += 1e-3f * Math.Max(1f, values.Max(Math.Abs)) + 1e-3f;
                return SafetensorsEntry.Create(e.Name, values, e.GetShapeArray());
            });
            SafetensorsFile.Write(path, entries.ToList(), original.File.Metadata);
            var corrupted = new Fixture(path);
            var ex = Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => FixtureCheckers.For(corrupted.Kind)!(corrupted));
            Assert.Contains(tensor.Replace("grad.param.", "", StringComparison.Ordinal), ex.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
