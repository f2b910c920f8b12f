namespace Recur.IO;

/// <summary>
/// Orders strings by their UTF-8 bytes, as Rust's <c>String</c> ordering does (equivalently, by Unicode scalar
/// values). Plain UTF-16 ordinal order differs for characters above U+FFFF versus U+E000..U+FFFF.
/// </summary>
internal sealed class Utf8OrdinalComparer : IComparer<string>
{
    public static readonly Utf8OrdinalComparer Instance = new();

    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null || y is null)
        {
            return x is null ? -1 : 1;
        }

        var left = x.EnumerateRunes();
        var right = y.EnumerateRunes();
        while (true)
        {
            bool hasLeft = left.MoveNext();
            bool hasRight = right.MoveNext();
            if (!hasLeft || !hasRight)
            {
                return hasLeft.CompareTo(hasRight);
            }

            int byValue = left.Current.Value.CompareTo(right.Current.Value);
            if (byValue != 0)
            {
                return byValue;
            }
        }
    }
}
