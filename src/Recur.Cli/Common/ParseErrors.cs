using System.CommandLine;
using System.Text.RegularExpressions;

namespace Recur.Cli;

/// <summary>Command-line parse errors in words a user reads: the option and what its value should be, not a .NET type name.</summary>
public static partial class ParseErrors
{
    /// <summary><paramref name="message"/> with .NET type names replaced by what the value should be.</summary>
    public static string Friendly(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var m = CannotParse().Match(message);
        if (m.Success) return $"{m.Groups["option"].Value}: '{m.Groups["value"].Value}' is not {Describe(m.Groups["type"].Value)}";
        return TypeName().Replace(message, t => Describe(t.Value)).TrimEnd('.');
    }

    /// <summary>The command line of the command that was parsed, e.g. <c>recur charlm train</c>.</summary>
    public static string CommandPath(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var names = new List<string>();
        for (var c = result.CommandResult; c is not null; c = c.Parent as System.CommandLine.Parsing.CommandResult)
            names.Add(c.Command.Name);
        names.Reverse();
        return string.Join(' ', names);
    }

    private static string Describe(string type)
    {
        string t = type.Replace("System.Nullable`1[", "", StringComparison.Ordinal).TrimEnd(']');
        return t switch
        {
            "System.Int32" or "System.Int64" => "an integer",
            "System.UInt64" or "System.UInt32" => "a non-negative integer",
            "System.Double" or "System.Single" => "a number",
            "System.Boolean" => "true or false",
            "System.String" => "a text",
            _ => t,
        };
    }

    [GeneratedRegex(@"Cannot parse argument '(?<value>.*)' for option '(?<option>[^']+)' as expected type '(?<type>[^']+)'\.?")]
    private static partial Regex CannotParse();

    [GeneratedRegex(@"System\.Nullable`1\[[A-Za-z.0-9]+\]|System\.(Int32|Int64|UInt64|Double|Boolean)")]
    private static partial Regex TypeName();
}
