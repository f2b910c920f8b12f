namespace Recur.Tests.Fixtures;

/// <summary>
/// The golden fixture files: the PyTorch set copied into this project, the cases made by this project's generator
/// scripts (<c>Fixtures/generated</c>, same format), plus every <c>*.safetensors</c> under each
/// folder named in the environment variable <c>RECUR_FIXTURES</c> (':'-separated).
/// </summary>
public static class FixtureCatalog
{
    public const string EnvironmentVariable = "RECUR_FIXTURES";

    public static string BundledFolder => Path.Combine(AppContext.BaseDirectory, "Fixtures", "torch");

    public static string GeneratedFolder => Path.Combine(AppContext.BaseDirectory, "Fixtures", "generated");

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
