namespace Recur.Tests.Fixtures;

/// <summary>
/// One test per golden fixture file: the bundled PyTorch set, the generated cases and every file under the folders in RECUR_FIXTURES.
/// A fixture whose kind has no checker yet is reported as skipped, naming its kind, never passed silently.
/// </summary>
public class FixtureTests
{
    public static TheoryData<string> Bundled() => Data(FixtureCatalog.BundledFiles(), FixtureCatalog.BundledFolder);

    public static TheoryData<string> Generated() => Data(FixtureCatalog.GeneratedFiles(), FixtureCatalog.GeneratedFolder);

    public static TheoryData<string> Extra()
    {
        var files = FixtureCatalog.ExtraFiles();
        // xunit needs at least one row; an empty marker row reports "no extra fixtures" as a skip.
        return files.Count == 0 ? new TheoryData<string> { "" } : Data(files, null);
    }

    [SkippableTheory]
    [MemberData(nameof(Bundled))]
    public void BundledFixture(string file) => Check(Path.Combine(FixtureCatalog.BundledFolder, file));

    [SkippableTheory]
    [MemberData(nameof(Generated))]
    public void GeneratedFixture(string file) => Check(Path.Combine(FixtureCatalog.GeneratedFolder, file));

    [SkippableTheory]
    [MemberData(nameof(Extra))]
    public void ExtraFixture(string file)
    {
        Skip.If(file.Length == 0, $"{FixtureCatalog.EnvironmentVariable} is not set: no extra fixture folders.");
        Check(file);
    }

    [Fact]
    public void EveryBundledFixtureIsCopiedFromTheSharedSet()
    {
        Assert.True(FixtureCatalog.GeneratedFiles().Count >= 40, "the generated fixture set looks incomplete");
        Assert.True(FixtureCatalog.BundledFiles().Count >= 25, "the copied fixture set looks incomplete");
    }

    private static void Check(string path)
    {
        var fixture = new Fixture(path);
        var checker = FixtureCheckers.For(fixture.Kind);
        Skip.If(checker is null, $"fixture kind '{fixture.Kind}' ({fixture.Module}) is not implemented yet");
        checker!(fixture);
    }

    private static TheoryData<string> Data(IEnumerable<string> files, string? root)
    {
        var data = new TheoryData<string>();
        foreach (var f in files) data.Add(root is null ? f : Path.GetRelativePath(root, f));
        return data;
    }
}
