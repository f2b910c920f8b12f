using Recur.IO;
namespace Recur.Training;

/// <summary>
/// A checkpoint as a folder of files that is replaced as a whole, so that a kill at any moment leaves the last
/// complete checkpoint loadable. <see cref="Commit"/> writes every file into a fresh temporary sibling folder, ending
/// with the manifest <see cref="ManifestName"/>; then the old folder is renamed aside to <c>.NAME.old</c>, the new
/// one renamed into place, and the old one deleted. <see cref="Resolve"/> finds the complete folder whatever step
/// the swap was interrupted at: the folder itself when its manifest is there, else the set-aside old one.
/// </summary>
public static class CheckpointFolder
{
    /// <summary>The file written last into every checkpoint folder; a folder without it is incomplete.</summary>
    public const string ManifestName = "checkpoint.json";

    /// <summary>
    /// Writes a checkpoint to <paramref name="folder"/>: <paramref name="writeFiles"/> fills an empty temporary folder
    /// (its path is the argument), then the text of <paramref name="manifestJson"/> (called after the files are written) goes there as <see cref="ManifestName"/>
    /// and the folder replaces <paramref name="folder"/>.
    /// </summary>
    public static void Commit(string folder, Action<string> writeFiles, Func<string> manifestJson)
    {
        ArgumentNullException.ThrowIfNull(writeFiles);
        ArgumentNullException.ThrowIfNull(manifestJson);
        string full = Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar);
        string parent = Path.GetDirectoryName(full)!;
        string name = Path.GetFileName(full);
        Directory.CreateDirectory(parent);
        string temp = Path.Combine(parent, $".{name}.{Guid.NewGuid():N}.tmp");
        string old = OldName(full);
        Directory.CreateDirectory(temp);
        try
        {
            writeFiles(temp);
            AtomicFile.WriteAllText(Path.Combine(temp, ManifestName), manifestJson());
            if (Directory.Exists(full))
            {
                if (IsComplete(full))
                {
                    if (Directory.Exists(old)) Directory.Delete(old, recursive: true);
                    Directory.Move(full, old);
                }
                else
                {
                    Directory.Delete(full, recursive: true); // an incomplete folder holds nothing loadable
                }
            }
            Directory.Move(temp, full);
        }
        catch
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
            throw;
        }
        if (Directory.Exists(old)) Directory.Delete(old, recursive: true);
    }

    /// <summary>
    /// The complete checkpoint folder for <paramref name="folder"/>: itself when it holds the manifest, else the
    /// set-aside old folder of an interrupted swap when that does, else null.
    /// </summary>
    public static string? Resolve(string folder)
    {
        string full = Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar);
        if (IsComplete(full)) return full;
        string old = OldName(full);
        return IsComplete(old) ? old : null;
    }

    /// <summary>True when <paramref name="folder"/> exists and holds the manifest.</summary>
    public static bool IsComplete(string folder) => File.Exists(Path.Combine(folder, ManifestName));

    /// <summary>Deletes temporary folders that an interrupted <see cref="Commit"/> left in <paramref name="parent"/>.</summary>
    public static void CleanUp(string parent)
    {
        if (!Directory.Exists(parent)) return;
        foreach (var dir in Directory.EnumerateDirectories(parent, ".*.tmp"))
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static string OldName(string full) => Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.old");
}
