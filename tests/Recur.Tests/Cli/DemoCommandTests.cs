using Recur.Cli;
using Recur.Cli.Demo;

namespace Recur.Tests.Cli;

public class DemoCommandTests
{
    [Fact]
    public void TrainsOnTheBundledTextAndBeatsTheUnigramBaseline()
    {
        var output = new StringWriter();
        var options = new DemoOptions(null, Steps: 150, BatchSize: 64, Context: 4, EmbeddingSize: 8, HiddenSize: 64,
            LearningRate: 1e-2, Seed: 3, SampleLength: 80, Temperature: 0.8, EvalEvery: 150);
        Assert.Equal(0, DemoCommand.Run(options, output));
        string text = output.ToString();
        var learned = text.Split('\n').Single(l => l.StartsWith("Learned:", StringComparison.Ordinal));
        var numbers = System.Text.RegularExpressions.Regex.Matches(learned, @"\d+\.\d+").Select(m => double.Parse(m.Value, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.True(numbers[0] < numbers[1] - 0.3, $"validation loss should be well under the unigram baseline: {learned}");
        Assert.Contains("Sample (temperature 0.8):", text);
    }

    [Fact]
    public void SameSeedGivesTheSameRun()
    {
        var options = new DemoOptions(null, 20, 16, 3, 4, 16, 1e-2, 5, 30, 1.0, 10);
        var a = new StringWriter();
        var b = new StringWriter();
        DemoCommand.Run(options, a);
        DemoCommand.Run(options, b);
        Assert.Equal(Strip(a.ToString()), Strip(b.ToString()));
    }

    private static string Strip(string s) => System.Text.RegularExpressions.Regex.Replace(s, @"\d+\.\ds\n", "\n");

    [Theory]
    [InlineData("--steps", "0", "--steps must be positive")]
    [InlineData("--temperature", "-1", "--temperature must be a positive number")]
    [InlineData("--lr", "0", "--lr must be a positive number")]
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
            foreach (var (file, fragment) in new[] { (Path.Combine(dir, "missing.txt"), "does not exist"), (empty, "is empty"), (binary, "binary"), (tiny, "at least") })
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
