namespace Recur.Kernels;

/// <summary>A piece of work handed to <see cref="HelperThread"/>; implementations are preallocated, so posting allocates nothing.</summary>
internal interface IHelperJob
{
    /// <summary>Runs the work (on the helper thread, or on the poster's thread when it takes the work back).</summary>
    void Run();
}

/// <summary>
/// One background thread that takes half of a small, latency-bound step (a streaming RNN step) while the posting
/// thread does the other half, so that each core streams only its half of the weights and keeps it in its own L2.
/// Handing over costs a few hundred nanoseconds while the helper spins; after about 50 us without work it blocks.
/// If the helper has not started a posted job by the time the poster has finished its own half (the other core
/// is busy), the poster takes the job back and runs it itself: the step is never slower than about serial.
/// </summary>
internal sealed class HelperThread
{
    private const int Idle = 0, Posted = 1, Running = 2, Done = 3;
    private static readonly Lazy<HelperThread> SharedInstance = new(() => new HelperThread());

    private readonly ManualResetEventSlim _wake = new(false);
    private IHelperJob? _job;
    private int _state;
    private int _sleeping; // 1 while the helper blocks (or is about to)

    private HelperThread()
    {
        var thread = new Thread(Loop) { IsBackground = true, Name = "Recur helper" };
        thread.Start();
    }

    /// <summary>The process-wide helper.</summary>
    public static HelperThread Shared => SharedInstance.Value;

    /// <summary>Whether a second core can help at all (two or more allowed threads).</summary>
    public static bool IsUseful => KernelThreading.MaxThreads >= 2 && Environment.ProcessorCount >= 2;

    /// <summary>Offers <paramref name="job"/> to the helper; false when it is busy with another poster's job.</summary>
    public bool TryPost(IHelperJob job)
    {
        if (Volatile.Read(ref _state) != Idle) return false;
        _job = job;
        if (Interlocked.CompareExchange(ref _state, Posted, Idle) != Idle) return false;
        if (Volatile.Read(ref _sleeping) == 1) _wake.Set(); // a missed wake-up only means Complete runs the job here
        return true;
    }

    /// <summary>Waits for the posted job, or runs it here when the helper has not started it.</summary>
    public void Complete(IHelperJob job)
    {
        if (Interlocked.CompareExchange(ref _state, Running, Posted) == Posted)
        {
            job.Run();
        }
        else
        {
            var spin = new SpinWait();
            while (Volatile.Read(ref _state) != Done) spin.SpinOnce(sleep1Threshold: -1);
        }
        _job = null;
        Volatile.Write(ref _state, Idle);
    }

    private void Loop()
    {
        while (true)
        {
            long start = System.Diagnostics.Stopwatch.GetTimestamp();
            while (Volatile.Read(ref _state) != Posted)
            {
                if (System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMicroseconds > 50)
                {
                    _wake.Reset();
                    Interlocked.Exchange(ref _sleeping, 1); // a full fence before reading the state again
                    if (Volatile.Read(ref _state) != Posted) _wake.Wait();
                    Volatile.Write(ref _sleeping, 0);
                    start = System.Diagnostics.Stopwatch.GetTimestamp();
                }
                else
                {
                    Thread.SpinWait(20);
                }
            }
            if (Interlocked.CompareExchange(ref _state, Running, Posted) != Posted) continue; // the poster took it back
            _job!.Run();
            Volatile.Write(ref _state, Done);
        }
    }
}
