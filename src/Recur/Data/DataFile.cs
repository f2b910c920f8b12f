using System.Globalization;

namespace Recur.Data;

/// <summary>
/// The checks every data reader makes before reading a file, and the one-line error messages they share:
/// <c>path line N: problem</c>.
/// </summary>
internal static class DataFile
{
    /// <summary>Files larger than this are refused before reading: their examples are held in memory.</summary>
    public const long MaxBytes = 1L << 30;

    /// <summary>
    /// Checks that <paramref name="path"/> names an existing, non-empty file of at most <paramref name="maxBytes"/>
    /// bytes (no limit when null); returns its size.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The path is a folder, or the file is empty or too large.</exception>
    public static long Check(string path, long? maxBytes)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path)) throw new InvalidDataException($"{path}: is a folder, not a data file.");
        var info = new FileInfo(path);
        if (!info.Exists) throw new FileNotFoundException($"{path}: the file does not exist.", path);
        if (info.Length == 0 || (info.Length == 3 && File.ReadAllBytes(path) is [0xEF, 0xBB, 0xBF]))
            throw new InvalidDataException($"{path}: the file is empty.");
        if (maxBytes is long max && info.Length > max)
            throw new InvalidDataException($"{path}: the file is {Size(info.Length)}; files over {Size(max)} are refused, because every example is held in memory.");
        return info.Length;
    }

    /// <summary>An error about line <paramref name="line"/> of <paramref name="path"/>.</summary>
    public static InvalidDataException Error(string path, long line, string problem) => new($"{path} line {line}: {problem}");

    /// <summary>An error about the whole of <paramref name="path"/>.</summary>
    public static InvalidDataException Error(string path, string problem) => new($"{path}: {problem}");

    /// <summary>
    /// <paramref name="text"/> in single quotes for a message: control characters (tab included) as escapes, cut after
    /// <paramref name="max"/> characters, so the message stays one line.
    /// </summary>
    public static string Quote(ReadOnlySpan<char> text, int max = 40)
    {
        var sb = new System.Text.StringBuilder("'");
        int n = Math.Min(text.Length, max);
        for (int i = 0; i < n; i++)
        {
            char c = text[i];
            sb.Append(c switch
            {
                '\t' => "\\t",
                '\r' => "\\r",
                '\n' => "\\n",
                _ when char.IsControl(c) || c is '\u2028' or '\u2029' => $"\\u{(int)c:X4}",
                _ => c.ToString(),
            });
        }
        if (text.Length > max) sb.Append("...");
        return sb.Append('\'').ToString();
    }

    /// <summary>A count with thousands separators: 12,345.</summary>
    public static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    private static string Size(long bytes) => bytes >= 1L << 30
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.##} GiB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):0.##} MiB");
}
