using Recur.Cli;
using Recur.Cli.Classify;
using Recur.Cli.Common;
using Recur.Tests.Cli;

namespace Recur.Tests.Classify;

public sealed class ClassifyBadInputTests : IDisposable
{
    private readonly ClassifyTestKit _kit = new();

    public void Dispose() => _kit.Dispose();

    private static void AssertUserError(Action run, string fragment)
    {
        var ex = Record.Exception(run);
        Assert.NotNull(ex);
        Assert.True(CliErrors.IsUserError(ex), $"{ex.GetType().Name} would be reported as an unexpected failure: {ex.Message}");
        Assert.Contains(fragment, ex.Message.ReplaceLineEndings(" "));
        Assert.DoesNotContain('\n', ex.Message);
    }

    private string Write(string name, string text)
    {
        string path = _kit.Dir(name);
        File.WriteAllText(path, text);
        return path;
    }

    public static TheoryData<string, string, string?, string> BadFiles => new()
    {
        { "empty.txt", "", null, "is empty" },
        { "blank.txt", "\n\n  \n", null, "" },
        { "unknown.txt", "just some words here\nand more words there\nnothing to say\n", null, "could not detect the data format" },
        { "mixed.tsv", "1\ta good film\n0\tbad\nno tab on this line\n1\tfine\n", "label-tab-text", "line 3" },
        { "nolabel.txt", "1 a good film\n0 bad one\n1\n", "label-text", "line 3" },
        { "nan.txt", "1 0.5 0.25 0.125\n2 0.5 NaN 0.1\n", "ucr", "line 2" },
        { "letters.txt", "1 0.5 0.25 0.125\n2 0.5 abc 0.1\n", "ucr", "line 2" },
        { "ragged.txt", "1 0.5 0.25 0.125\n2 0.5 0.1\n", null, "line 2: has 2 values, line 1 has 3" },
        { "zero.txt", "1 0.5 0.25 0.125\n2\n", "ucr", "line 2" },
        { "dims.ts", "@problemName x\n@dimensions 2\n@classLabel true a b\n@data\n1,2,3:4,5,6:a\n1,2:3,4,5:b\n", null, "line 6" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void BadTrainingFilesAreOneLineErrorsAndNothingIsWritten(string name, string content, string? format, string fragment)
    {
        string file = Write(name, content), run = _kit.Dir("never-" + name);
        AssertUserError(() => ClassifyTestKit.Train(ClassifyTestKit.Tiny(file, null, run) with { Format = format }), fragment);
        Assert.False(Directory.Exists(run));
    }

    [Fact]
    public void ALabelSeenOnlyInDevIsNamed()
    {
        string train = _kit.Sentences("train.txt", 40, 1);
        string dev = Write("dev.txt", "1 a good film\n0 a bad film\n2 a strange film\n");
        AssertUserError(() => ClassifyTestKit.Train(ClassifyTestKit.Tiny(train, dev, _kit.Dir("run"))), "line 3: label '2' appears only in the dev file");
    }

    [Fact]
    public void ModelFoldersOfAnotherTaskAndForeignOutFoldersAreRefused()
    {
        string train = _kit.Sentences("train.txt", 40, 2), dev = _kit.Sentences("dev.txt", 10, 3);
        string mine = _kit.Dir("mine");
        Directory.CreateDirectory(mine);
        File.WriteAllText(Path.Combine(mine, "notes.md"), "keep me");
        AssertUserError(() => ClassifyTestKit.Train(ClassifyTestKit.Tiny(train, dev, mine)), "holds files that are not a training run's (notes.md)");
        Assert.Equal(["notes.md"], Directory.GetFileSystemEntries(mine).Select(Path.GetFileName));

        var charlm = new Recur.Tests.CharLm.CharLmTestKit();
        string lm = charlm.Dir("lm");
        Recur.Tests.CharLm.CharLmTestKit.Train(charlm.Tiny(lm, maxSteps: 2, evalEvery: 2));
        AssertUserError(() => ClassifyEval.Run(new ClassifyEvalOptions(lm, dev), new StringWriter()), "is a checkpoint of task 'charlm', not of 'classify'");
        charlm.Dispose();
    }

    [Fact]
    public void KeepingTheLastCheckpointMakesItTheModelAndRefusesAPatience()
    {
        string train = _kit.Sentences("train.txt", 40, 2), dev = _kit.Sentences("dev.txt", 10, 3), run = _kit.Dir("last");
        var tiny = ClassifyTestKit.Tiny(train, dev, run, epochs: 4);
        AssertUserError(() => ClassifyTestKit.Train(tiny with { Training = tiny.Training with { Keep = "final" } }), "--keep must be best or last, got 'final'");
        AssertUserError(() => ClassifyTestKit.Train(tiny with { Training = tiny.Training with { Keep = "last", Patience = 3 } }), "--keep last trains for the whole budget");
        Assert.False(Directory.Exists(run) && Directory.EnumerateFileSystemEntries(run).Any());
        var result = ClassifyTestKit.Train(tiny with { Training = tiny.Training with { Keep = "last" } });
        Assert.Equal(result.Step, result.BestStep);
        Assert.Equal(File.ReadAllBytes(Path.Combine(run, "last", "model.safetensors")), File.ReadAllBytes(Path.Combine(run, "best", "model.safetensors")));
        // Series keep the last by default; a patience alone asks for early stopping, so it selects the best.
        var series = ClassifyTestKit.Tiny(_kit.Waves("waves.txt", 30, 7), null, _kit.Dir("waves"), epochs: 3);
        Assert.Equal("last", TrainingRun.Keep(series.Training, ClassifyDefaults.Series.Training));
        Assert.Equal("best", TrainingRun.Keep(series.Training with { Patience = 2 }, ClassifyDefaults.Series.Training));
        Assert.Equal("best", TrainingRun.Keep(series.Training, ClassifyDefaults.Text.Training));
    }

    [Fact]
    public void EvalOfTheOtherKindOfDataIsRefused()
    {
        string train = _kit.Sentences("train.txt", 40, 4), dev = _kit.Sentences("dev.txt", 10, 5), run = _kit.Dir("run");
        ClassifyTestKit.Train(ClassifyTestKit.Tiny(train, dev, run, epochs: 1));
        string waves = _kit.Waves("waves.txt", 6, 6);
        AssertUserError(() => ClassifyEval.Run(new ClassifyEvalOptions(run, waves, Format: "ucr"), new StringWriter()), "holds series, but the model reads texts");
        AssertUserError(() => ClassifyEval.Run(new ClassifyEvalOptions(run, Write("other.txt", "1 good\n7 bad\n")), new StringWriter()), "label '7' is not one of the 2 classes");
        AssertUserError(() => ClassifyTestKit.Train(ClassifyTestKit.Tiny(train, dev, _kit.Dir("x")) with { Normalize = "standard" }), "--normalize is for series");
    }

    [Fact]
    public void TheCommandPrintsOneLineAndExits2()
    {
        string bad = Write("bad.txt", "1 0.5 0.25\n2 0.5\n");
        foreach (var args in new[]
        {
            new[] { "classify", "train", "--train", bad, "--out", _kit.Dir("r1") },
            ["classify", "train", "--train", _kit.Dir("missing.txt"), "--out", _kit.Dir("r2")],
            ["classify", "train"],
            ["classify", "train", "--train", bad, "--out", _kit.Dir("r3"), "--pooling", "median"],
            ["classify", "eval", "--model", _kit.Dir("nowhere"), "--data", bad],
            ["classify", "predict", "--model", _kit.Dir("nowhere")],
        })
        {
            var (code, _, err) = CliProcess.Run(args);
            Assert.Equal(2, code);
            Assert.StartsWith("error: ", err);
            Assert.Single(err.Trim().Split('\n'));
            Assert.DoesNotContain("   at ", err);
        }
        var (_, _, missing) = CliProcess.Run("classify", "train");
        Assert.Contains("these options are required: --train FILE (the labelled training data), --out DIR (the run folder)", missing);
    }
}
