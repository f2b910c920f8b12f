using System.Globalization;

namespace Recur.Cli.Common;

/// <summary>Shares written as people write them: 81.35%, without the space the invariant culture puts before the sign.</summary>
public static class Percent
{
    /// <summary><paramref name="share"/> (0..1) as a percentage with <paramref name="digits"/> decimals.</summary>
    public static string Of(double share, int digits = 2) =>
        double.IsFinite(share) ? (share * 100).ToString("F" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) + "%" : "-";
}
