using System.Diagnostics;
using System.Text.Json.Nodes;
using Recur.Cli;
using Recur.Cli.CharLm;
using Recur.Cli.Common;
using Recur.Tests.Cli;
using Recur.Training;

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

    /// <summary>Writes <paramref name="bytes"/> as <paramref name="file"/> of checkpoint <paramref name="folder"/> and makes the manifest agree, so that the deeper checks are the ones tested.</summary>
    public static void Replace(string folder, string file, byte[] bytes)
    {
        File.WriteAllBytes(Path.Combine(folder, file), bytes);
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, CheckpointFolder.ManifestName)))!.AsObject();
        manifest["files"]![file] = bytes.LongLength;
        File.WriteAllText(Path.Combine(folder, CheckpointFolder.ManifestName), manifest.ToJsonString());
    }

    public string DataPath2 => _kit.DataPath;

    public CharLmTrainOptions Options(string outDir) => _kit.Tiny(outDir, maxSteps: 10, evalEvery: 10);

    public string Dir(string name) => _kit.Dir(name);

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
            AssertUserError(() => CharLmTestKit.Train(new CharLmTrainOptions { Data = file, Training = new CommonTrainOptions { Out = file + "-run" } }), fragment);
        // A file too large to be text for a language model here: refused by its size, before it is read.
        string huge = model.Dir("huge.txt");
        using (var f = File.Create(huge)) f.SetLength(Recur.Data.TextCorpus.MaxFileBytes + 1);
        AssertUserError(() => CharLmTestKit.Train(new CharLmTrainOptions { Data = huge, Training = new CommonTrainOptions { Out = huge + "-run" } }), "MiB of text is read");
        File.Delete(huge);
    }

    [Theory]
    [InlineData("cell", "--cell must be lstm, gru or rnn")]
    [InlineData("hidden", "--hidden-size must be from 1 to 16,384, got -4")]
    [InlineData("huge", "--hidden-size must be from 1 to 16,384, got 23,000")]
    [InlineData("layers", "--layers must be from 1 to 64, got 100,000")]
    [InlineData("seq", "--seq-length must be from 1")]
    [InlineData("time", "--max-time: '5x' is not a duration")]
    [InlineData("dropout", "--dropout must be in [0, 1)")]
    [InlineData("schedule", "--schedule must be cosine, step or constant")]
    [InlineData("lr", "--lr must be a positive number")]
    [InlineData("threads", "--threads must be from 1 to")]
    [InlineData("memory", "the model would need about")]
    public void InvalidOptionValuesAreRefused(string which, string fragment)
    {
        var o = new CharLmTrainOptions { Data = model.DataPath, Training = new CommonTrainOptions { Out = Path.Combine(Path.GetTempPath(), "recur-never-" + which) } };
        o = which switch
        {
            "cell" => o with { Cell = "transformer" },
            "hidden" => o with { HiddenSize = -4 },
            "huge" => o with { HiddenSize = 23_000 },
            "layers" => o with { Layers = 100_000 },
            "seq" => o with { SeqLength = 0 },
            "time" => o with { Training = o.Training with { MaxTime = "5x" } },
            "dropout" => o with { Dropout = 1.5 },
            "schedule" => o with { Training = o.Training with { Schedule = "linear" } },
            "threads" => o with { Training = o.Training with { Threads = 1_000_000 } },
            "memory" => o with { HiddenSize = 16_000, Layers = 64 },
            _ => o with { Training = o.Training with { LearningRate = -1 } },
        };
        var clock = Stopwatch.StartNew();
        AssertUserError(() => CharLmTestKit.Train(o), fragment);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"refusing {which} took {clock.Elapsed}");
        Assert.False(Directory.Exists(o.Training.Out));
    }

    [Fact]
    public void SeveralMissingOptionsAreNamedTogether() =>
        AssertUserError(() => CharLmTestKit.Train(new CharLmTrainOptions()), "these options are required: --data FILE (the text to train on), --out DIR (the run folder)");

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
        TrainedModelFixture.Replace(garbage, "model.safetensors", junk);
        AssertUserError(() => CharLmTestKit.Sample(garbage), "model.safetensors is damaged");

        string config = model.CopyCheckpoint("config");
        TrainedModelFixture.Replace(config, "config.json", "{\"model\": {\"cell\": \"lstm\", \"hidden_size\": "u8.ToArray());
        AssertUserError(() => CharLmEval.Run(new CharLmEvalOptions(config, model.DataPath), new StringWriter()), "config.json is damaged");

        string other = model.CopyCheckpoint("other-task");
        TrainedModelFixture.Replace(other, CheckpointFolder.ManifestName,
            System.Text.Encoding.UTF8.GetBytes(File.ReadAllText(Path.Combine(other, CheckpointFolder.ManifestName)).Replace("\"charlm\"", "\"classify\"", StringComparison.Ordinal)));
        AssertUserError(() => CharLmTestKit.Sample(other), "is a checkpoint of task 'classify', not of 'charlm'");

        string future = model.CopyCheckpoint("future");
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(future, CheckpointFolder.ManifestName)))!.AsObject();
        manifest["version"] = 99;
        File.WriteAllText(Path.Combine(future, CheckpointFolder.ManifestName), manifest.ToJsonString());
        AssertUserError(() => CharLmTestKit.Sample(future), "has format version 99; this Recur reads version 1");
    }

    [Theory]
    [InlineData(12_000, 2, "describes a model of")]
    [InlineData(256, 1_000_000, "--layers must be from 1 to 64")]
    [InlineData(1_000_000_000, 2, "--hidden-size must be from 1 to 16,384")]
    public void AbsurdConfigSizesAreRefusedBeforeAnythingIsAllocated(int hidden, int layers, string fragment)
    {
        string folder = model.CopyCheckpoint($"absurd-{hidden}-{layers}");
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "config.json")))!.AsObject();
        config["model"]!["hidden_size"] = hidden;
        config["model"]!["layers"] = layers;
        TrainedModelFixture.Replace(folder, "config.json", System.Text.Encoding.UTF8.GetBytes(config.ToJsonString()));
        long before = GC.GetTotalAllocatedBytes();
        var clock = Stopwatch.StartNew();
        AssertUserError(() => CharLmTestKit.Sample(folder), fragment);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        Assert.True(GC.GetTotalAllocatedBytes() - before < 64 << 20, "refusing the config allocated more than 64 MB");
    }

    [SkippableFact]
    public void AWeightsFileThatIsADeviceOrAFifoIsRefusedWithoutHanging()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "needs /dev/zero and mkfifo");
        foreach (var kind in new[] { "zero", "fifo" })
        {
            string folder = model.CopyCheckpoint($"special-{kind}");
            string weights = Path.Combine(folder, "model.safetensors");
            File.Delete(weights);
            if (kind == "zero") File.CreateSymbolicLink(weights, "/dev/zero");
            else using (var p = Process.Start("mkfifo", [weights])) p.WaitForExit();
            var task = Task.Run(() => Record.Exception(() => CharLmTestKit.Sample(folder)));
            Assert.True(task.Wait(TimeSpan.FromSeconds(10)), $"loading a checkpoint whose weights are {kind} hung");
            Assert.NotNull(task.Result);
            Assert.True(CliErrors.IsUserError(task.Result!), task.Result!.ToString());
            Assert.Contains("model.safetensors has 0 bytes but the manifest says", task.Result!.Message.Replace(Environment.NewLine, " "), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void NonFiniteWeightsAndBadTemperaturesAreRefused()
    {
        string folder = model.CopyCheckpoint("nan");
        var weights = Recur.IO.SafetensorsTensors.ReadTensors(Path.Combine(folder, "model.safetensors"));
        weights["fc.bias"].Span[3] = float.NaN;
        string file = Path.Combine(folder, "model.safetensors");
        Recur.IO.SafetensorsTensors.WriteTensors(file, weights);
        TrainedModelFixture.Replace(folder, "model.safetensors", File.ReadAllBytes(file));
        AssertUserError(() => CharLmTestKit.Sample(folder), "holds NaN or infinite values in 'fc.bias'");
        AssertUserError(() => CharLmEval.Run(new CharLmEvalOptions(folder, model.DataPath), new StringWriter()), "NaN or infinite");
        foreach (double t in new[] { 1e-308, 0, -1, double.NaN, double.PositiveInfinity })
            AssertUserError(() => CharLmSample.Run(new CharLmSampleOptions(model.Run, "ROMEO:", 10, t), new StringWriter()), "--temperature must be from");
    }

    [Fact]
    public void AnExistingRunIsNeverClobbered()
    {
        string modelFile = Path.Combine(model.Run, "best", "model.safetensors");
        byte[] before = File.ReadAllBytes(modelFile);
        string metrics = File.ReadAllText(Path.Combine(model.Run, "metrics.jsonl"));
        AssertUserError(() => CharLmTestKit.Train(model.Options(model.Run) with { HiddenSize = 16 }),
            "already holds a training run; continue it with recur charlm train --resume");
        AssertUserError(() => CharLmTestKit.Train(CharLmTestKit.Resume(model.Run) with { HiddenSize = 16 }), "--hidden-size 16 (checkpoint: 32)");
        Assert.Equal(before, File.ReadAllBytes(modelFile));
        Assert.Equal(metrics, File.ReadAllText(Path.Combine(model.Run, "metrics.jsonl")));
    }

    [Fact]
    public void AFolderThatIsNotARunIsRefusedAndKept()
    {
        string dir = model.Dir("my-files");
        Directory.CreateDirectory(Path.Combine(dir, "best"));
        File.WriteAllText(Path.Combine(dir, "best", "notes.txt"), "mine");
        File.WriteAllText(Path.Combine(dir, "loss.png"), "my picture");
        File.WriteAllText(Path.Combine(dir, "thesis.tex"), "mine too");
        AssertUserError(() => CharLmTestKit.Train(model.Options(dir)), "holds files that are not a training run's (loss.png, thesis.tex)");
        Assert.Equal("mine", File.ReadAllText(Path.Combine(dir, "best", "notes.txt")));
        Assert.Equal("my picture", File.ReadAllText(Path.Combine(dir, "loss.png")));
        Assert.Equal(["best", "loss.png", "thesis.tex"], Directory.EnumerateFileSystemEntries(dir).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void ResumingACheckpointFolderNeedsANewRunFolderAndLeavesItsParentAlone()
    {
        string parent = model.Dir("keep");
        string standalone = Path.Combine(parent, "mymodel");
        Directory.CreateDirectory(parent);
        foreach (var name in new[] { "best", "last" })
        {
            Directory.CreateDirectory(Path.Combine(parent, name));
            File.WriteAllText(Path.Combine(parent, name, "precious.txt"), name);
        }
        Directory.CreateDirectory(standalone);
        foreach (var f in Directory.GetFiles(Path.Combine(model.Run, "last"))) File.Copy(f, Path.Combine(standalone, Path.GetFileName(f)));
        AssertUserError(() => CharLmTestKit.Train(CharLmTestKit.Resume(standalone)), "is a checkpoint folder, not a run folder");
        string fresh = model.Dir("continued");
        var result = CharLmTestKit.Train(CharLmTestKit.Resume(standalone, maxSteps: 12) with { Training = new CommonTrainOptions { Resume = standalone, Out = fresh, MaxSteps = 12 } });
        Assert.Equal(12, result.Step);
        Assert.Equal(12, Checkpoint.Load(fresh, CharLmTrain.Task, preferLast: true).Step);
        foreach (var name in new[] { "best", "last" }) Assert.Equal(name, File.ReadAllText(Path.Combine(parent, name, "precious.txt")));
        Assert.True(Checkpoint.Load(standalone, CharLmTrain.Task).Step == 10);
    }

    [Fact]
    public void ARunKilledDuringItsFirstCheckpointCanBeStartedAgain()
    {
        string dir = model.Dir("killed");
        Directory.CreateDirectory(Path.Combine(dir, $".last.{Guid.NewGuid():N}.tmp"));
        File.WriteAllText(Path.Combine(dir, "run.json"), "{}");
        File.WriteAllText(Path.Combine(dir, ".loss.png.0123.tmp.png"), "half a picture");
        AssertUserError(() => CharLmTestKit.Train(CharLmTestKit.Resume(dir)), $"holds no complete checkpoint: the run stopped before its first one. Start it again with --out {dir}");
        Assert.Equal(10, CharLmTestKit.Train(model.Options(dir)).Step);
        Assert.Empty(Directory.GetFileSystemEntries(dir, ".*tmp*"));
        Assert.Equal(10, Checkpoint.Load(dir, CharLmTrain.Task, preferLast: true).Step);
    }

    [Fact]
    public void AResumedRunKeepsItsEvaluationIntervalAndCleansUpHalfWrittenPictures()
    {
        string dir = model.Dir("interval");
        CharLmTestKit.Train(model.Options(dir) with { Training = model.Options(dir).Training with { MaxSteps = 6, EvalEvery = 3, DecaySteps = 12 } });
        File.WriteAllText(Path.Combine(dir, ".loss.png.0123.tmp.png"), "half a picture");
        CharLmTestKit.Train(CharLmTestKit.Resume(dir, maxSteps: 12));
        Assert.Equal([3.0, 6, 9, 12], MetricsLog.Read(Path.Combine(dir, "metrics.jsonl")).Select(r => r["step"]));
        Assert.False(File.Exists(Path.Combine(dir, ".loss.png.0123.tmp.png")));
    }

    [Fact]
    public void AnOutFolderThatCannotBeWrittenFailsBeforeTraining()
    {
        AssertUserError(() => CharLmTestKit.Train(model.Options("/proc/recur-cannot-write-here")), "recur-cannot-write-here");
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
            ["charlm", "train", "--hidden-size", "abc"],
            ["charlm", "eval"],
            ["charlm", "sample", "--model", model.Run, "--temperature", "1e-308"],
        })
        {
            var (code, _, err) = CliProcess.Run(args);
            Assert.Equal(2, code);
            Assert.StartsWith("error: ", err);
            Assert.Single(err.Trim().Split('\n'));
            Assert.DoesNotContain("   at ", err);
            Assert.DoesNotContain("System.", err);
        }
        var (_, _, parse) = CliProcess.Run("charlm", "train", "--hidden-size", "abc");
        Assert.Contains("--hidden-size: 'abc' is not an integer", parse);
        Assert.Contains("(see recur charlm train --help)", parse);
        var (_, _, missing) = CliProcess.Run("charlm", "eval");
        Assert.Contains("'--model' is required", missing);
        Assert.Contains("'--data' is required", missing);
    }

    [Fact]
    public void HelpAndUsageSayRecur()
    {
        var (code, help, _) = CliProcess.Run("charlm", "train", "--help");
        Assert.Equal(0, code);
        Assert.Contains("recur charlm train [options]", help);
        Assert.DoesNotContain("Recur.Cli", help);
        Assert.Contains("--hidden-size <hidden-size>", help);
        Assert.Contains("[default: 256]", help);
        Assert.DoesNotContain("[256]", help);
    }

    [SkippableFact]
    public void SamplingStopsWhenTheReaderOfThePipeGoesAway()
    {
        Skip.IfNot(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "needs a POSIX pipe");
        var psi = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add($"dotnet '{Path.Combine(AppContext.BaseDirectory, "Recur.Cli.dll")}' charlm sample --model '{model.Run}' --length 100000000 | head -c 20");
        using var p = Process.Start(psi)!;
        string output = p.StandardOutput.ReadToEnd();
        Assert.True(p.WaitForExit(60_000), "sampling went on after the pipe closed");
        Assert.Equal(20, output.Length);
        Assert.Equal("", p.StandardError.ReadToEnd());
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
