using System.Runtime.InteropServices;

namespace Recur.Cli.Common;

/// <summary>
/// Turns Ctrl+C (SIGINT), SIGTERM and SIGHUP (a closed terminal) into a cancellation, so that training saves a
/// checkpoint and returns; a second Ctrl+C ends the process at once.
/// </summary>
public static class Interrupts
{
    /// <summary>The exit code of a run stopped by a signal (128 + SIGINT, as shells report it).</summary>
    public const int ExitCode = 130;

    /// <summary>Runs <paramref name="body"/> with the signals turned into the cancellation of its token.</summary>
    public static T Handle<T>(Func<CancellationToken, T> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        using var cts = new CancellationTokenSource();
        ConsoleCancelEventHandler handler = (_, e) =>
        {
            if (cts.IsCancellationRequested) return;
            e.Cancel = true;
            cts.Cancel(); // the trainer says so on its own output, where the progress display is
        };
        Console.CancelKeyPress += handler;
        void Cancel(PosixSignalContext context)
        {
            context.Cancel = true;
            if (!cts.IsCancellationRequested) cts.Cancel();
        }
        using var term = TryRegister(PosixSignal.SIGTERM, Cancel);
        using var hup = TryRegister(PosixSignal.SIGHUP, Cancel);
        try
        {
            return body(cts.Token);
        }
        finally
        {
            Console.CancelKeyPress -= handler;
        }
    }

    private static PosixSignalRegistration? TryRegister(PosixSignal signal, Action<PosixSignalContext> handler)
    {
        try
        {
            return PosixSignalRegistration.Create(signal, handler);
        }
        catch (PlatformNotSupportedException)
        {
            return null;
        }
    }
}
