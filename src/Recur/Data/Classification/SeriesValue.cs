using System.Globalization;

namespace Recur.Data;

/// <summary>Parses one value of a series, with the file, line and which value in every error.</summary>
internal static class SeriesValue
{
    public static float Parse(string path, int line, ReadOnlySpan<char> text, string what)
    {
        text = text.Trim();
        if (text.Length == 0) throw DataFile.Error(path, line, $"{what} is empty.");
        if (text is "?") throw DataFile.Error(path, line, $"{what} is '?', a missing value; missing values are not supported.");
        if (!float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float v))
            throw DataFile.Error(path, line, $"{what} {DataFile.Quote(text)} is not a number.");
        if (float.IsNaN(v)) throw DataFile.Error(path, line, $"{what} is NaN; missing values are not supported (pad or drop them first).");
        if (float.IsInfinity(v)) throw DataFile.Error(path, line, $"{what} {DataFile.Quote(text)} is infinite (or too large for a float).");
        return v;
    }
}
