namespace Recur.Tests.IO;

/// <summary>A fact that is skipped, with a visible reason, when <c>python3</c> is not on the PATH.</summary>
public sealed class PythonFactAttribute : FactAttribute
{
    public PythonFactAttribute()
    {
        if (Python3Path is null)
        {
            Skip = "python3 not found on PATH; the Python interop check did not run.";
        }
    }

    /// <summary>The full path of <c>python3</c>, or <see langword="null"/> when it is not installed.</summary>
    public static string? Python3Path { get; } = FindOnPath(OperatingSystem.IsWindows() ? "python3.exe" : "python3");

    private static string? FindOnPath(string executable) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, executable))
            .FirstOrDefault(File.Exists);
}
