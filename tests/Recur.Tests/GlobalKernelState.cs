namespace Recur.Tests;

/// <summary>
/// Tests that set the process-wide <see cref="Recur.Kernels.KernelThreading.MaxThreads"/>, and tests that count the
/// bytes a thread allocates, run in this collection: one at a time, after the parallel tests, so that a thread count
/// set by one test never changes the path (and the allocations) another test measures.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GlobalKernelState
{
    public const string Name = "Global kernel state";
}
