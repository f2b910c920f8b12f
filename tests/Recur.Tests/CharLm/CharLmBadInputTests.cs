using Recur.Cli;
using Recur.Cli.CharLm;
using Recur.Tests.Cli;

namespace Recur.Tests.CharLm;

/// <summary>A trained tiny model shared by the bad-input tests.</summary>
public sealed class TrainedModelFixture : IDisposable
{
    private readonly CharLmTestKit _kit = new();

    public TrainedModelFixture()
    {
        Run = _kit.Dir("run");
        CharLmTestKit.Train(_kit.Tiny(Run, maxSteps: 10, evalEvery: 10));
    }

    public string Run { get; }

    public string DataPath => _kit.DataPath;

    /// <summary>A copy of the run's best checkpoint in a new folder, to damage.</summary>
    public string CopyCheckpoint(string name)
    {
        string dir = _kit.Dir(name);
        Directory.CreateDirectory(dir);
        foreach (var f in Directory.GetFiles(Path.Combine(Run, "best"))) File.Copy(f, Path.Combine(dir, Path.GetFileName(f)));
        return dir;
    }

    public string WriteFile(string name, byte[] bytes)
    {
        string path = _kit.Dir(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public void Dispose() => _kit.Dispose();
}

public class CharLmBadInputTests(TrainedModelFixture model) : IClassFixture<TrainedModelFixture>
{
    private static void AssertUserError(Action run, string fragment)
    {
        var ex = Record.Exception(run);
        Assert.NotNull(ex);
        Assert.True(CliErrors.IsUserError(ex), $"{ex.GetType().Name} would be reported as an unexpected failure: {ex.Message}");
        Assert.Contains(fragment, ex.Message);
    }

    [Fact]
    public void BadDataFilesAreRefused()
    {
        string empty = model.WriteFile("empty.txt", []);
        string binary = model.WriteFile("binary.bin", [0x00, 0xFF, 0xFE, 0x01, 0x80, 0x00, 0xC3]);
        string shortText = model.WriteFile("short.txt", "To be, or not to be"u8.ToArray());
        foreach (var (file, fragment) in new[] { (model.WriteFile("x", []) + "-missing", "does not exist"), (empty, "is empty"), (binary, "binary"), (shortText, "too short") })
            AssertUserError(() => CharLmTestKit.Train(new CharLmTrainOptions(Data: file, Out: file + "-run")), fragment);
    }

    [Theory]
    [InlineData("cell", "--cell must be lstm, gru or rnn")]
    [InlineData("hidden", "--hidden-size must be positive")]
    [InlineData("seq", "--seq-length must be positive")]
    [InlineData("time", "--max-time: '5x' is not a duration")]
    [InlineData("dropout", "--dropout must be in [0, 1)")]
    [InlineData("schedule", "--schedule must be cosine or step")]
    [InlineData("lr", "--lr must be a positive number")]
    public void InvalidOptionValuesAreRefused(string which, string fragment)
    {
        var o = new CharLmTrainOptions(Data: model.DataPath, Out: Path.Combine(Path.GetTempPath(), "recur-never-" + which));
        o = which switch
        {
            "cell" => o with { Cell = "transformer" },
            "hidden" => o with { HiddenSize = -4 },
            "seq" => o with { SeqLength = 0 },
            "time" => o with { MaxTime = "5x" },
            "dropout" => o with { Dropout = 1.5 },
            "schedule" => o with { Schedule = "linear" },
            _ => o with { LearningRate = -1 },
        };
        AssertUserError(() => CharLmTestKit.Train(o), fragment);
        Assert.False(Directory.Exists(o.Out));
    }

    [Fact]
    public void PromptOutsideTheVocabularyIsRefused() =>
        AssertUserError(() => CharLmTestKit.Sample(model.Run, "ROMEO~"), "--prompt: character '~' (U+007E) at position 5 is not in the model's vocabulary");

    [Fact]
    public void MissingAndDamagedModelFilesAreNamed()
    {
        AssertUserError(() => CharLmTestKit.Sample(Path.Combine(model.Run, "nowhere")), "does not exist");
        AssertUserError(() => CharLmTestKit.Sample(model.WriteFile("not-a-run", []) + "-dir"), "does not exist");
        string empty = Path.Combine(Path.GetTempPath(), $"recur-empty-{Guid.NewGuid():N}");
        Directory.CreateDirectory(empty);
        AssertUserError(() => CharLmTestKit.Sample(empty), "holds no complete checkpoint");
        Directory.Delete(empty);

        string missing = model.CopyCheckpoint("missing");
        File.Delete(Path.Combine(missing, "model.safetensors"));
        AssertUserError(() => CharLmTestKit.Sample(missing), "model.safetensors is missing");

        string truncated = model.CopyCheckpoint("truncated");
        var bytes = File.ReadAllBytes(Path.Combine(truncated, "model.safetensors"));
        File.WriteAllBytes(Path.Combine(truncated, "model.safetensors"), bytes[..(bytes.Length / 2)]);
        AssertUserError(() => CharLmTestKit.Sample(truncated), "damaged");

        string garbage = model.CopyCheckpoint("garbage");
        var junk = File.ReadAllBytes(Path.Combine(garbage, "model.safetensors"));
        junk.AsSpan(0, 64).Fill((byte)'#');
        File.WriteAllBytes(Path.Combine(garbage, "model.safetensors"), junk);
        AssertUserError(() => CharLmTestKit.Sample(garbage), "model.safetensors is corrupt");

        string config = model.CopyCheckpoint("config");
        File.WriteAllText(Path.Combine(config, "config.json"), "{\"cell\": \"lstm\", \"hidden_size\": ");
        File.WriteAllText(Path.Combine(config, CheckpointFolderManifest), File.ReadAllText(Path.Combine(config, CheckpointFolderManifest)).Replace("\"config.json\"", "\"config-unchecked\"", StringComparison.Ordinal));
        AssertUserError(() => CharLmEval.Run(new CharLmEvalOptions(config, model.DataPath), new StringWriter()), "config.json is corrupt");
    }

    private const string CheckpointFolderManifest = Recur.Training.CheckpointFolder.ManifestName;

    [Fact]
    public void AnExistingRunIsNeverClobbered()
    {
        string modelFile = Path.Combine(model.Run, "best", "model.safetensors");
        byte[] before = File.ReadAllBytes(modelFile);
        string metrics = File.ReadAllText(Path.Combine(model.Run, "metrics.jsonl"));
        AssertUserError(() => CharLmTestKit.Train(new CharLmTrainOptions(Data: model.DataPath, Out: model.Run, HiddenSize: 16, SeqLength: 8, BatchSize: 4)),
            "already holds a training run; continue it with --resume");
        AssertUserError(() => CharLmTestKit.Train(new CharLmTrainOptions(Resume: model.Run, HiddenSize: 16)), "--hidden-size 16 (checkpoint: 32)");
        Assert.Equal(before, File.ReadAllBytes(modelFile));
        Assert.Equal(metrics, File.ReadAllText(Path.Combine(model.Run, "metrics.jsonl")));
    }

    [Fact]
    public void TheCommandPrintsOneLineAndExits2()
    {
        foreach (var args in new[]
        {
            new[] { "charlm", "train", "--data", model.DataPath, "--out", model.Run + "-x", "--cell", "transformer" },
            ["charlm", "sample", "--model", model.Run, "--prompt", "ROMEO~"],
            ["charlm", "eval", "--model", model.Run + "-nowhere", "--data", model.DataPath],
            ["charlm", "compare", model.Run + "-nowhere", "--out", model.Run + "-cmp.png"],
            ["charlm", "compare", model.Run, "--out", model.Run + "-cmp.txt"],
        })
        {
            var (code, _, err) = CliProcess.Run(args);
            Assert.Equal(2, code);
            Assert.StartsWith("error: ", err);
            Assert.Single(err.Trim().Split('\n'));
            Assert.DoesNotContain("   at ", err);
        }
    }

    [Fact]
    public void CompareDrawsTheRunsAndReportsTheTarget()
    {
        // A second "run": only a metrics.jsonl, as bench/charlm_torch.py writes it.
        string other = model.WriteFile("other-metrics.jsonl", """
            {"step": 5, "train_loss": 3.9, "val_loss": 3.5, "lr": 0.001, "chars_per_s": 1000.0, "elapsed_s": 6.0}
            {"step": 10, "train_loss": 3.1, "val_loss": 2.9, "lr": 0.001, "chars_per_s": 1000.0, "elapsed_s": 12.0}
            """u8.ToArray());
        string png = model.WriteFile("compare.png", []) + "-out.png";
        var output = new StringWriter();
        Assert.Equal(0, CharLmCompare.Run(new CharLmCompareOptions([model.Run + "=recur", other + "=twin"], png, ByStep: false, Target: 3.0), output));
        string text = output.ToString();
        Assert.Contains("twin", text);
        Assert.Contains("step 10, 0.2 min", text); // the twin first reached 3.0 at its second record (12 s)
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(png)[..4]);
    }
}
