namespace Recur.Tests.Fixtures;

/// <summary>
/// The golden fixture files: the PyTorch set copied into this project (<c>Fixtures/torch</c>), the cases made by this
/// project's generator scripts (<c>Fixtures/generated</c>, same format), plus every <c>*.safetensors</c> under each
/// folder named in the environment variable <c>RECUR_FIXTURES</c> (':'-separated).
/// </summary>
public static class FixtureCatalog
{
    public const string EnvironmentVariable = "RECUR_FIXTURES";

    /// <summary>The folder the bundled fixture folders live in.</summary>
    public static string Root => Path.Combine(AppContext.BaseDirectory, "Fixtures");

    /// <summary>The PyTorch set copied from the shared fixtures.</summary>
    public static string BundledFolder => Path.Combine(Root, "torch");

    /// <summary>Cases written by the generator scripts (PyTorch 1.13) for option combinations the copied set lacks.</summary>
    public static string GeneratedFolder => Path.Combine(Root, "generated");

    public static IReadOnlyList<string> BundledFiles() => Files(BundledFolder);

    public static IReadOnlyList<string> GeneratedFiles() => Directory.Exists(GeneratedFolder) ? Files(GeneratedFolder) : [];

    public static IReadOnlyList<string> ExtraFiles()
    {
        string? spec = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(spec)) return [];
        var files = new List<string>();
        foreach (string folder in spec.Split(':', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Directory.Exists(folder))
                throw new DirectoryNotFoundException($"{EnvironmentVariable} names '{folder}', which is not a folder.");
            files.AddRange(Files(folder));
        }
        return files;
    }

    private static List<string> Files(string folder) =>
        Directory.EnumerateFiles(folder, "*.safetensors", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
}
