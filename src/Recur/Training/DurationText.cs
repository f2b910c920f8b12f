using System.Globalization;
using System.Text.RegularExpressions;

namespace Recur.Training;

/// <summary>Durations written as people write them: <c>90s</c>, <c>30m</c>, <c>1h</c>, <c>1h30m</c>, <c>2.5m</c>.</summary>
public static partial class DurationText
{
    /// <summary>Parses one or more number-unit pairs (units s, m, h; in that order of size, largest first).</summary>
    /// <exception cref="FormatException">The text is not such a duration, or it is zero.</exception>
    public static TimeSpan Parse(string text)
    {
        var m = Pattern().Match(text?.Trim() ?? "");
        if (!m.Success || m.Length == 0)
            throw new FormatException($"'{text}' is not a duration; write it like 90s, 30m, 1h or 1h30m.");
        double seconds = Part(m, "h") * 3600 + Part(m, "m") * 60 + Part(m, "s");
        if (!(seconds > 0) || seconds > TimeSpan.MaxValue.TotalSeconds / 2)
            throw new FormatException($"'{text}' is not a positive duration.");
        return TimeSpan.FromSeconds(seconds);
    }

    /// <summary>A short form such as <c>1h05m</c>, <c>4m30s</c> or <c>12s</c>.</summary>
    public static string Format(TimeSpan t)
    {
        if (t < TimeSpan.Zero) t = TimeSpan.Zero;
        if (t.TotalHours >= 1) return string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours}h{t.Minutes:00}m");
        if (t.TotalMinutes >= 1) return string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalMinutes}m{t.Seconds:00}s");
        return string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalSeconds}s");
    }

    private static double Part(Match m, string unit) =>
        m.Groups[unit].Success ? double.Parse(m.Groups[unit].Value, CultureInfo.InvariantCulture) : 0;

    [GeneratedRegex(@"^(?:(?<h>\d+(?:\.\d+)?)h)?(?:(?<m>\d+(?:\.\d+)?)m)?(?:(?<s>\d+(?:\.\d+)?)s)?$", RegexOptions.IgnoreCase)]
    private static partial Regex Pattern();
}
