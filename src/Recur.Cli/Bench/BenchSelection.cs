using System.Text.RegularExpressions;

namespace Recur.Cli.Bench;

/// <summary>
/// The <c>--only</c> filter: comma-separated patterns; a pattern with <c>*</c> or <c>?</c> is a glob over the whole
/// name, anything else matches as a substring. Every pattern must match at least one entry.
/// </summary>
public static class BenchSelection
{
    /// <summary>The entries matching any pattern of <paramref name="only"/> (all when it is null or empty), in order.</summary>
    public static IReadOnlyList<BenchEntry> Select(IReadOnlyList<BenchEntry> entries, string? only)
    {
        if (string.IsNullOrWhiteSpace(only)) return entries;
        var patterns = only.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var chosen = new HashSet<string>();
        foreach (var pattern in patterns)
        {
            var hits = entries.Where(e => Matches(e.Name, pattern)).ToList();
            if (hits.Count == 0)
                throw new UserErrorException($"--only '{pattern}' matches no entry; entries are: {string.Join(", ", entries.Select(e => e.Name))}.");
            foreach (var e in hits) chosen.Add(e.Name);
        }
        return entries.Where(e => chosen.Contains(e.Name)).ToList();
    }

    /// <summary>Whether <paramref name="name"/> matches <paramref name="pattern"/> (glob or substring, ignoring case).</summary>
    public static bool Matches(string name, string pattern)
    {
        if (pattern.IndexOfAny(['*', '?']) < 0) return name.Contains(pattern, StringComparison.OrdinalIgnoreCase);
        string regex = "^" + Regex.Escape(pattern).Replace(@"\*", ".*").Replace(@"\?", ".") + "$";
        return Regex.IsMatch(name, regex, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    }
}
