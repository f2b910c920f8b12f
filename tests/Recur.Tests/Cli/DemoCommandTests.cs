using Recur.Cli;
using Recur.Cli.CharLm;
using Recur.Cli.Demo;

namespace Recur.Tests.Cli;

public class DemoCommandTests
{
    private static DemoOptions Tiny(string dir, ulong seed = 3) => new(Out: dir, MaxTime: "60s", MaxSteps: 60, SampleLength: 80, Seed: seed,
        Model: new CharLmTrainOptions
        {
            HiddenSize = 32, Layers = 1, EmbeddingSize = 16, SeqLength = 16, BatchSize = 16,
            Training = new Recur.Cli.Common.CommonTrainOptions { LearningRate = 1e-2, Warmup = 5, EvalEvery = 30 },
        });

    [Fact]
    public void TrainsOnTheBundledTextBeatsTheUnigramBaselineAndIsReproducible()
    {
        string root = Directory.CreateTempSubdirectory("recur-demo-").FullName;
        try
        {
            var a = new StringWriter();
            Assert.Equal(0, DemoCommand.Run(Tiny(Path.Combine(root, "a")), a));
            string text = a.ToString();
            var learned = text.Split('\n').Single(l => l.StartsWith("Learned:", StringComparison.Ordinal));
            var numbers = System.Text.RegularExpressions.Regex.Matches(learned, @"\d+\.\d+").Select(m => double.Parse(m.Value, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            Assert.True(numbers[0] < numbers[1] - 0.3, $"validation loss should be well under the unigram baseline: {learned}");
            Assert.Contains("Sample (temperature 0.8):", text);

            // The same seed gives the same losses and the same sample.
            var b = new StringWriter();
            DemoCommand.Run(Tiny(Path.Combine(root, "b")), b);
            Assert.Equal(After(text, "Learned:"), After(b.ToString(), "Learned:").Replace(Path.Combine(root, "b"), Path.Combine(root, "a"), StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static string After(string s, string marker) => s[s.IndexOf(marker, StringComparison.Ordinal)..];

    [Theory]
    [InlineData("--max-steps", "0", "--max-steps must be positive")]
    [InlineData("--temperature", "-1", "--temperature must be from 0.001 to 1000")]
    [InlineData("--max-time", "soon", "--max-time: 'soon' is not a duration")]
    public void InvalidOptionValuesGiveOneLineAndExitCode2(string option, string value, string message)
    {
        var (code, _, err) = CliProcess.Run("demo", option, value);
        Assert.Equal(2, code);
        Assert.Contains(message, err);
        AssertOneLineNoStackTrace(err);
    }

    [Fact]
    public void BadDataFilesAreNamedInOneLine()
    {
        string dir = Directory.CreateTempSubdirectory("recur-demo-").FullName;
        try
        {
            string empty = Path.Combine(dir, "empty.txt");
            File.WriteAllText(empty, "");
            string binary = Path.Combine(dir, "binary.bin");
            File.WriteAllBytes(binary, [0x00, 0xFF, 0xFE, 0x01, 0x80, 0x00, 0xC3]);
            string tiny = Path.Combine(dir, "tiny.txt");
            File.WriteAllText(tiny, "abc");
            foreach (var (file, fragment) in new[] { (Path.Combine(dir, "missing.txt"), "does not exist"), (empty, "is empty"), (binary, "binary"), (tiny, "too short") })
            {
                var (code, _, err) = CliProcess.Run("demo", "--data", file);
                Assert.Equal(2, code);
                Assert.Contains(fragment, err);
                Assert.Contains(Path.GetFileName(file), err);
                AssertOneLineNoStackTrace(err);
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void UnknownOptionFailsWithoutAStackTrace()
    {
        var (code, _, err) = CliProcess.Run("demo", "--no-such-option");
        Assert.NotEqual(0, code);
        Assert.DoesNotContain("   at ", err);
    }

    [Fact]
    public void UserErrorsAreReportedByTheWrapper()
    {
        var root = new System.CommandLine.RootCommand();
        var parse = root.Parse([]);
        var savedErr = Console.Error;
        var err = new StringWriter();
        try
        {
            Console.SetError(err);
            Assert.Equal(2, CliErrors.Run(parse, () => throw new UserErrorException("bad thing\nsecond line")));
        }
        finally
        {
            Console.SetError(savedErr);
        }
        Assert.Equal("error: bad thing second line", err.ToString().Trim());
    }

    private static void AssertOneLineNoStackTrace(string stderr)
    {
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.DoesNotContain("   at ", stderr);
    }
}
