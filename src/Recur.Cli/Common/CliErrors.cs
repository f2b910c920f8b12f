using System.CommandLine;

namespace Recur.Cli;

/// <summary>A mistake of the user's (bad option, missing or bad file): shown as one line, exit code 2.</summary>
public sealed class UserErrorException(string message) : Exception(message);

/// <summary>Runs a command body and turns failures into one clear line on stderr and a non-zero exit code.</summary>
public static class CliErrors
{
    /// <summary>The exit code of a user's mistake.</summary>
    public const int UserError = 2;

    /// <summary>Shows stack traces for errors.</summary>
    public static readonly Option<bool> VerboseOption = new("--verbose")
    {
        Description = "Show full error details (stack traces).",
        Recursive = true,
    };

    /// <summary>Runs <paramref name="body"/>; user errors exit with 2, unexpected failures with 1.</summary>
    public static int Run(ParseResult parse, Func<int> body)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(body);
        bool verbose = parse.GetValue(VerboseOption);
        try
        {
            return body();
        }
        catch (Exception ex) when (IsUserError(ex))
        {
            Console.Error.WriteLine($"error: {OneLine(ex.Message)}");
            if (verbose) Console.Error.WriteLine(ex);
            return UserError;
        }
        catch (OutOfMemoryException ex) when (!verbose)
        {
            Console.Error.WriteLine($"error: out of memory ({OneLine(ex.Message)}); use smaller sizes or less data (run with --verbose for details)");
            return 1;
        }
        catch (Exception ex) when (!verbose)
        {
            Console.Error.WriteLine($"error: unexpected {ex.GetType().Name}: {OneLine(ex.Message)} (run with --verbose for details)");
            return 1;
        }
    }

    /// <summary>
    /// True for the failures that are the user's to fix (bad options, missing, unreadable or malformed files), which
    /// <see cref="Run"/> reports as one line with exit code 2.
    /// </summary>
    public static bool IsUserError(Exception ex) =>
        ex is UserErrorException or ArgumentException or IOException or UnauthorizedAccessException or FormatException or InvalidDataException;

    /// <summary><paramref name="s"/> on one line.</summary>
    public static string OneLine(string s) => (s ?? "").ReplaceLineEndings(" ");
}
