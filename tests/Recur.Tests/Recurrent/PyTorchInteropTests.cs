using System.Diagnostics;
using Recur.IO;
using Recur.NN;

namespace Recur.Tests.Recurrent;

/// <summary>
/// Weights saved here load into torch.nn.LSTM with strict key matching and give the same outputs
/// (docs/load_in_pytorch.py). Skipped when Debian's python3-torch is not installed.
/// </summary>
public class PyTorchInteropTests
{
    private const string Python = "/usr/bin/python3";

    [SkippableFact]
    public void SavedLstmLoadsIntoTorchAndComputesTheSameOutput()
    {
        Skip.IfNot(TorchAvailable(), "Debian's python3-torch is not installed (apt-get install python3-torch)");
        string script = FindScript();
        string dir = Directory.CreateTempSubdirectory("recur-torch-").FullName;
        try
        {
            var rng = new RandomGenerator(5);
            var lstm = new Lstm(3, 5, numLayers: 2, bidirectional: true, projSize: 2, rng: rng);
            string model = Path.Combine(dir, "lstm.safetensors");
            StateDictFile.Save(lstm, model); // writes the "module" and "config" metadata the script reads
            var input = rng.Normal(0, 1, 7, 2, 3);
            lstm.Eval();
            var output = lstm.Forward(input).Output.Value;
            string io = Path.Combine(dir, "io.safetensors");
            SafetensorsTensors.WriteTensors(io, [new("input", input), new("output", output)]);

            var psi = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
            psi.ArgumentList.Add(script);
            psi.ArgumentList.Add(model);
            psi.ArgumentList.Add(io);
            using var p = Process.Start(psi)!;
            string stdout = p.StandardOutput.ReadToEnd();
            string stderr = p.StandardError.ReadToEnd();
            p.WaitForExit();
            Assert.True(p.ExitCode == 0, $"exit {p.ExitCode}: {stdout} {stderr}");
            Assert.Contains("loaded 20 tensors", stdout);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    private static bool TorchAvailable()
    {
        if (!File.Exists(Python)) return false;
        var psi = new ProcessStartInfo(Python, ["-c", "import torch"]) { RedirectStandardError = true, RedirectStandardOutput = true };
        using var p = Process.Start(psi)!;
        p.WaitForExit();
        return p.ExitCode == 0;
    }

    private static string FindScript()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            string candidate = Path.Combine(d.FullName, "docs", "load_in_pytorch.py");
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException("docs/load_in_pytorch.py not found above the test folder");
    }
}
