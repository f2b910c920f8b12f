using Recur.Kernels;
using Recur.NN;
using Recur.Optim;
using Recur.Training;

namespace Recur.Tests.Training;

public class TrainingPartsTests
{
    [Fact]
    public void ScheduleWarmsUpThenDecays()
    {
        var cosine = new LearningRateSchedule(1.0, WarmupSteps: 10, TotalSteps: 110);
        Assert.Equal(0.1, cosine.At(1), 12);
        Assert.Equal(1.0, cosine.At(10), 12);
        Assert.Equal(0.55, cosine.At(60), 12);  // half way: (1 + 0.1) / 2
        Assert.Equal(0.1, cosine.At(110), 12);
        Assert.Equal(0.1, cosine.At(500), 12);  // stays at the floor past the end
        var step = new LearningRateSchedule(1.0, 0, 100, DecayKind.Step, StepEvery: 10, StepFactor: 0.5);
        Assert.Equal(1.0, step.At(9));
        Assert.Equal(0.5, step.At(10));
        Assert.Equal(0.25, step.At(25));
        var constant = new LearningRateSchedule(2.0, 4, 100, DecayKind.Constant);
        Assert.Equal(1.0, constant.At(2));
        Assert.Equal(2.0, constant.At(4));
        Assert.Equal(2.0, constant.At(1000));
        Assert.Throws<ArgumentException>(() => LearningRateSchedule.ParseDecay("linear"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void WeightAverageFollowsItsFormulaOnSmallAndOnThreadedLargeTensors(int threads)
    {
        // 400 x 400 weights (2.4 parts of 65,536) are split between the threads; the 400 biases are not.
        var rng = new RandomGenerator(3);
        var layer = new Linear(400, 400, rng: rng);
        var parameters = layer.Parameters().ToArray();
        var expected = parameters.Select(p => p.Value.ToArray().Select(v => (double)v).ToArray()).ToArray();
        using var limit = KernelThreading.Limit(threads);
        var average = new WeightAverage(layer, 0.9);
        for (int t = 1; t <= 4; t++)
        {
            foreach (var p in parameters) rng.Normal(0, 1, p.Value.Shape.ToArray()).Span.CopyTo(p.Value.Span);
            average.Update();
            double keep = Math.Min(0.9, (1.0 + t) / (10.0 + t));
            for (int i = 0; i < parameters.Length; i++)
            {
                var w = parameters[i].Value.Span;
                for (int j = 0; j < w.Length; j++) expected[i][j] = (keep * expected[i][j]) + ((1 - keep) * w[j]);
            }
        }
        using (average.Apply())
        {
            for (int i = 0; i < parameters.Length; i++)
            {
                var w = parameters[i].Value.Span;
                for (int j = 0; j < w.Length; j++) Assert.Equal(expected[i][j], w[j], 1e-5);
            }
        }
    }

    [Theory]
    [InlineData("90s", 90)]
    [InlineData("30m", 1800)]
    [InlineData("1h", 3600)]
    [InlineData("1h30m", 5400)]
    [InlineData("2.5m", 150)]
    public void DurationsParse(string text, double seconds) => Assert.Equal(seconds, DurationText.Parse(text).TotalSeconds);

    [Theory]
    [InlineData("")]
    [InlineData("90")]
    [InlineData("5x")]
    [InlineData("0s")]
    [InlineData("-3m")]
    [InlineData("30m1h")]
    public void BadDurationsAreRefused(string text) => Assert.Throws<FormatException>(() => DurationText.Parse(text));

    [Fact]
    public void CheckpointFolderSurvivesAnInterruptedSwap()
    {
        string root = Directory.CreateTempSubdirectory("recur-ckpt-").FullName;
        try
        {
            string folder = Path.Combine(root, "last");
            CheckpointFolder.Commit(folder, dir => File.WriteAllText(Path.Combine(dir, "a.txt"), "one"), () => "{}");
            CheckpointFolder.Commit(folder, dir => File.WriteAllText(Path.Combine(dir, "a.txt"), "two"), () => "{}");
            Assert.Equal("two", File.ReadAllText(Path.Combine(CheckpointFolder.Resolve(folder)!, "a.txt")));
            Assert.Single(Directory.GetDirectories(root));

            // A kill after the old folder was set aside and before the new one was renamed in: the old one is found.
            Directory.Move(folder, Path.Combine(root, ".last.old"));
            Assert.Equal("two", File.ReadAllText(Path.Combine(CheckpointFolder.Resolve(folder)!, "a.txt")));
            // A kill while writing: a folder without its manifest is not a checkpoint.
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "a.txt"), "half");
            Assert.EndsWith(".last.old", CheckpointFolder.Resolve(folder));
            // The next commit replaces the incomplete folder and removes the old one.
            CheckpointFolder.Commit(folder, dir => File.WriteAllText(Path.Combine(dir, "a.txt"), "three"), () => "{}");
            Assert.Equal(folder, CheckpointFolder.Resolve(folder));
            Assert.False(Directory.Exists(Path.Combine(root, ".last.old")));

            // A failure inside the writer leaves the last checkpoint as it was and no temporary folder.
            Assert.Throws<IOException>(() => CheckpointFolder.Commit(folder, _ => throw new IOException("disk full"), () => "{}"));
            Assert.Equal("three", File.ReadAllText(Path.Combine(folder, "a.txt")));
            Assert.Equal([folder], Directory.GetDirectories(root));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void MetricsLogWritesOneObjectPerLineAndTruncatesOnResume()
    {
        string file = Path.GetTempFileName();
        try
        {
            File.Delete(file);
            for (int s = 1; s <= 3; s++) MetricsLog.Append(file, new Metrics { ["step"] = s * 10, ["train_loss"] = 1.0 / s, ["val_accuracy"] = 2.0 / s });
            File.AppendAllText(file, "{\"step\": 40, \"train_lo"); // a line cut short by a kill
            File.AppendAllText(file, "\n{\"no_step\": 1}\n");
            var all = MetricsLog.Read(file);
            Assert.Equal([10.0, 20.0, 30.0], all.Select(r => r["step"]));
            Assert.Equal(1.0 / 3, all[2]["train_loss"]); // doubles round-trip exactly
            Assert.Equal(["step", "train_loss", "val_accuracy"], all[0].Names);
            Assert.Equal([10.0, 20.0], MetricsLog.TruncateAfter(file, 25).Select(r => r["step"]));
            Assert.Equal(2, File.ReadAllLines(file).Length);
            Assert.Equal("{\"step\":5,\"train_loss\":null,\"val_loss\":1.5,\"lr\":0.5}",
                MetricsLog.ToJson(new Metrics { ["step"] = 5, ["train_loss"] = double.NaN, ["val_loss"] = 1.5, ["lr"] = 0.5 }));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
