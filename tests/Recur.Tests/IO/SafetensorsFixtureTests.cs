using Recur.IO;

namespace Recur.Tests.IO;

/// <summary>
/// Reads the PyTorch fixtures (copied into the test project, plus any folders listed in RECUR_FIXTURES). Those
/// files were written by a different writer (names sorted, <c>__metadata__</c> last), so they also check that the
/// reader does not depend on our own layout.
/// </summary>
public class SafetensorsFixtureTests
{
    private static readonly string FixtureFolder = Path.Combine(AppContext.BaseDirectory, "Fixtures", "torch");

    public static TheoryData<string> BundledFixtures()
    {
        var data = new TheoryData<string>();
        foreach (var path in Directory.GetFiles(FixtureFolder, "*.safetensors").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(path));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(BundledFixtures))]
    public void BundledFixture_Reads_AndSurvivesARewrite(string fileName) =>
        CheckReadsAndRewrites(Path.Combine(FixtureFolder, fileName));

    [Fact]
    public void FixturesInRecurFixturesFolders_ReadAndSurviveARewrite()
    {
        var folders = (Environment.GetEnvironmentVariable("RECUR_FIXTURES") ?? "")
            .Split(':', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(Directory.Exists);
        foreach (var folder in folders)
        {
            foreach (var path in Directory.EnumerateFiles(folder, "*.safetensors", SearchOption.AllDirectories))
            {
                CheckReadsAndRewrites(path);
            }
        }
    }

    [Fact]
    public void Lstm1l_HasKnownShapes_Metadata_AndHeaderOrder()
    {
        var file = SafetensorsFile.Read(Path.Combine(FixtureFolder, "lstm_1l.safetensors"));
        var input = file["input"];
        Assert.Equal(SafetensorsDType.Float32, input.DType);
        Assert.Equal([5, 3, 4], input.Shape);
        Assert.Equal(60, input.ToSingleArray().Length);
        Assert.Equal("recurrent", file.Metadata["kind"]);
        Assert.Equal("LSTM", file.Metadata["module"]);
        Assert.Contains("\"hidden_size\"", file.Metadata["config"]);
        Assert.Equal([20, 4], file["param.weight_ih_l0"].Shape);
        Assert.Equal([1, 3, 5], file["c_n"].Shape);
        Assert.Equal("c0", file.Entries[0].Name);
        Assert.Equal(file.Entries.Select(e => e.Name).Order(StringComparer.Ordinal), file.Entries.Select(e => e.Name));
    }

    [Fact]
    public void CeMean_HasInt64Targets()
    {
        var file = SafetensorsFile.Read(Path.Combine(FixtureFolder, "ce_mean.safetensors"));
        var target = file["target"];
        Assert.Equal(SafetensorsDType.Int64, target.DType);
        Assert.Equal([6], target.Shape);
        var logits = file["logits"];
        Assert.Equal([6, 5], logits.Shape);
        Assert.All(target.ToInt64Array(), t => Assert.InRange(t, 0, 4));
        Assert.Equal("loss", file.Metadata["kind"]);
        Assert.Equal([1], file["loss"].Shape);
    }

    [Fact]
    public void OptimizerFixture_HasStepsByParameterShapes()
    {
        var file = SafetensorsFile.Read(Path.Combine(FixtureFolder, "opt_adam.safetensors"));
        Assert.Equal("optimizer", file.Metadata["kind"]);
        Assert.Equal([6, 7], file["grads"].Shape);
        Assert.Equal([6, 7], file["expected"].Shape);
        Assert.Equal([7], file["param.init"].Shape);
    }

    private static void CheckReadsAndRewrites(string path)
    {
        var file = SafetensorsFile.Read(path);
        Assert.NotEmpty(file.Entries);
        Assert.True(file.Metadata.ContainsKey("kind"), $"{path}: no 'kind' metadata");
        foreach (var entry in file.Entries)
        {
            Assert.Contains(entry.DType, new[] { SafetensorsDType.Float32, SafetensorsDType.Int64 });
            Assert.Equal(entry.ElementCount, entry.ToSingleArray().Length);
        }

        var again = SafetensorsFile.Read(SafetensorsFile.ToBytes(file.Entries, file.Metadata));
        Assert.Equal(file.Metadata.OrderBy(p => p.Key, StringComparer.Ordinal), again.Metadata.OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Equal(file.Tensors.Keys.Order(StringComparer.Ordinal), again.Tensors.Keys.Order(StringComparer.Ordinal));
        foreach (var entry in file.Entries)
        {
            var copy = again[entry.Name];
            Assert.Equal(entry.DType, copy.DType);
            Assert.Equal(entry.Shape, copy.Shape);
            Assert.True(entry.Data.Span.SequenceEqual(copy.Data.Span), $"{path}: data of '{entry.Name}' changed");
        }
    }
}
