using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Recur.Cli.Common;

/// <summary>
/// Standard output for commands that write a lot (generated text, predictions). When it is a pipe, writes go straight
/// to file descriptor 1, so that a reader that has gone away (<c>recur charlm sample ... | head</c>) is noticed: the
/// console stream of .NET drops such writes silently, and the command would go on generating for nobody.
/// </summary>
public static class CliOutput
{
    /// <summary>A writer to standard output that reports a closed pipe as an <see cref="IOException"/> (see <see cref="IsBrokenPipe"/>).</summary>
    public static TextWriter Standard()
    {
        if (!Console.IsOutputRedirected || OperatingSystem.IsWindows()) return Console.Out;
        var stream = new FileStream(new SafeFileHandle(1, ownsHandle: false), FileAccess.Write, 1);
        if (stream.CanSeek)
        {
            // A file: no reader can go away, and a FileStream would write at its own offset 0 instead of the file's end.
            stream.Dispose();
            return Console.Out;
        }
        return new StreamWriter(stream, new UTF8Encoding(false), 1 << 12) { AutoFlush = false };
    }

    /// <summary>True when <paramref name="ex"/> says the reader of the pipe has gone (EPIPE).</summary>
    public static bool IsBrokenPipe(Exception ex) =>
        ex is IOException io && (io.HResult == 32 || io.Message.Contains("Broken pipe", StringComparison.OrdinalIgnoreCase));
}
