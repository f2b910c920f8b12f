using System.Diagnostics;
using Recur.Cli.CharLm;
using Recur.Training;

namespace Recur.Tests.CharLm;

public class CharLmInterruptTests
{
    // SIGTERM and SIGHUP (a closed terminal) take the same path as Ctrl+C (SIGINT), which a test cannot count on: processes started in the
    // background of a non-interactive shell inherit an ignored SIGINT, and .NET then leaves it ignored.
    [SkippableTheory]
    [InlineData("TERM")]
    [InlineData("HUP")]
    public void TerminationSavesACheckpointAndExitsCleanly(string signal)
    {
        Skip.IfNot(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "sends SIGTERM with kill(1)");
        using var kit = new CharLmTestKit();
        string run = kit.Dir("run");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "Recur.Cli.dll"), "charlm", "train", "--data", kit.DataPath, "--out", run,
            "--hidden-size", "16", "--layers", "1", "--seq-length", "8", "--batch-size", "4", "--max-steps", "1000000", "--eval-every", "5" })
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        try
        {
            var clock = Stopwatch.StartNew();
            while (!File.Exists(Path.Combine(run, "metrics.jsonl")) && clock.Elapsed < TimeSpan.FromSeconds(60) && !p.HasExited) Thread.Sleep(50);
            if (p.HasExited) Assert.Fail($"the run ended early: {stderr.Result}");
            using (var kill = Process.Start("kill", [$"-{signal}", p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) kill.WaitForExit();
            Assert.True(p.WaitForExit(30_000), $"the run did not stop after SIG{signal}");
        }
        finally
        {
            if (!p.HasExited) p.Kill(entireProcessTree: true);
        }
        Assert.Equal(130, p.ExitCode); // interrupted runs exit as shells report SIGINT
        Assert.Contains("(interrupted)", stdout.Result);
        Assert.Contains("Interrupted at step", stdout.Result);
        Assert.Equal("", stderr.Result);
        var last = Checkpoint.Load(run, CharLmTrain.Task, preferLast: true);
        Assert.True(last.Step >= 5);
    }
}
