using BenchmarkDotNet.Running;
using Recur.Benchmarks;

// `gemm` prints the plain GEMM report; anything else goes to BenchmarkDotNet (e.g. --filter *Gemm*).
if (args.Length > 0 && args[0] == "gemm")
{
    return GemmReport.Run(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(GemmReport).Assembly).Run(args);
return 0;
