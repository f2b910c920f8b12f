using System.Text.Json;
using Recur.Cli.Bench;

namespace Recur.Tests.Cli;

public class BenchCommandTests
{
    [Fact]
    public void StreamEntriesRunEndToEndAndWriteTheJsonReport()
    {
        string dir = Directory.CreateTempSubdirectory("recur-bench-").FullName;
        try
        {
            string path = Path.Combine(dir, "bench.json");
            var (code, stdout, stderr) = CliProcess.Run("bench", "--only", "stream", "--budget", "0.05", "--json", path);
            Assert.True(code == 0, stderr);
            Assert.Contains("lstm_stream_b1_i64_h256", stdout);
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            var rows = doc.RootElement.EnumerateArray().ToList();
            Assert.Equal(["lstm_stream_b1_i64_h256", "gru_stream_b1_i64_h256"], rows.Select(r => r.GetProperty("name").GetString()));
            foreach (var r in rows)
            {
                Assert.True(r.GetProperty("median_ms").GetDouble() > 0);
                Assert.True(r.GetProperty("gflops").GetDouble() > 0);
                Assert.Equal(0, r.GetProperty("allocated_bytes").GetInt64()); // streaming allocates nothing per step
            }
            Assert.Single(Directory.GetFiles(dir)); // no temporary file left behind
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void MemoryAddsThePeakWorkingSetWhereLinuxReportsIt()
    {
        string dir = Directory.CreateTempSubdirectory("recur-bench-").FullName;
        try
        {
            string path = Path.Combine(dir, "bench.json");
            var (code, stdout, stderr) = CliProcess.Run("bench", "--only", "gru_stream*", "--budget", "0.05", "--memory", "--threads", "1", "--json", path);
            Assert.True(code == 0, stderr);
            Assert.Contains("peak working set", stdout);
            var row = JsonDocument.Parse(File.ReadAllText(path)).RootElement.EnumerateArray().Single();
            Assert.Equal(OperatingSystem.IsLinux(), row.TryGetProperty("peak_working_set_bytes", out var peak) && peak.GetInt64() > 0);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("--only", "no_such_entry", "matches no entry")]
    [InlineData("--json", "/nonexistent-folder/x.json", "does not exist")]
    [InlineData("--budget", "0", "--budget must be")]
    [InlineData("--threads", "0", "--threads must be")]
    public void BadOptionsGiveOneLineAndExitCode2(string option, string value, string message)
    {
        string[] args = option == "--only" ? ["bench", option, value] : ["bench", "--only", "gru_stream", option, value];
        var (code, _, stderr) = CliProcess.Run(args);
        Assert.Equal(2, code);
        Assert.Contains(message, stderr);
        Assert.Single(stderr.Trim().Split('\n'));
    }

    [Theory]
    [InlineData("lstm_train_b64_t100_i128_h512", "train", true)]
    [InlineData("lstm_train_b64_t100_i128_h512", "lstm_*_h512", true)]
    [InlineData("gru_forward_b64_t100_i128_h512", "lstm_*", false)]
    [InlineData("gemm_1024", "GEMM", true)]
    [InlineData("gemm_1024", "gemm_10?4", true)]
    public void PatternsAreSubstringsOrGlobs(string name, string pattern, bool expected) =>
        Assert.Equal(expected, BenchSelection.Matches(name, pattern));

    [Fact]
    public void EveryEntryHasAUniqueNameAndTheStandardFlopCount()
    {
        var names = BenchEntries.All.Select(e => e.Name).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
        var train = BenchEntries.All.Single(e => e.Name == "lstm_train_b64_t100_i128_h512");
        Assert.Equal(3 * 2.0 * 100 * 64 * 2048 * (128 + 512), train.Flops);
    }
}
