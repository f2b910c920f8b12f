using System.Text.Json.Nodes;
using Recur.IO;

namespace Recur.Training;

/// <summary>What a folder is, seen as the destination or the source of a training run.</summary>
public enum RunFolderKind
{
    /// <summary>It does not exist.</summary>
    Missing,

    /// <summary>It exists and is empty.</summary>
    Empty,

    /// <summary>A run with at least one complete checkpoint.</summary>
    Run,

    /// <summary>A run that stopped before its first complete checkpoint (killed while writing it): it can be started again.</summary>
    IncompleteRun,

    /// <summary>A checkpoint folder itself, not a run.</summary>
    Checkpoint,

    /// <summary>Something else: files that are not a run's.</summary>
    Other,
}

/// <summary>
/// A training run's folder: <c>run.json</c> (written first: the task and when it started), <c>metrics.jsonl</c>,
/// <c>best/</c> and <c>last/</c> checkpoints and the run's pictures. Training refuses a folder that holds anything
/// else, so that a mistyped <c>--out</c> never deletes files that are not the run's.
/// </summary>
public static class RunFolder
{
    /// <summary>The marker written when a run starts.</summary>
    public const string MarkerName = "run.json";

    /// <summary>The metrics log.</summary>
    public const string MetricsName = "metrics.jsonl";

    /// <summary>The checkpoint of the best evaluation.</summary>
    public const string BestName = "best";

    /// <summary>The checkpoint of the last evaluation (or interruption).</summary>
    public const string LastName = "last";

    /// <summary>What <paramref name="dir"/> is (see <see cref="RunFolderKind"/>); <paramref name="foreign"/> lists up to three entries that are not a run's.</summary>
    public static RunFolderKind Inspect(string dir, out IReadOnlyList<string> foreign)
    {
        foreign = [];
        if (File.Exists(dir)) { foreign = [Path.GetFileName(dir)]; return RunFolderKind.Other; }
        if (!Directory.Exists(dir)) return RunFolderKind.Missing;
        var entries = Directory.EnumerateFileSystemEntries(dir).Select(Path.GetFileName).OfType<string>().ToList();
        if (entries.Count == 0) return RunFolderKind.Empty;
        if (CheckpointFolder.IsComplete(dir)) return RunFolderKind.Checkpoint;
        bool complete = Checkpoint.Find(Path.Combine(dir, LastName)) is not null || Checkpoint.Find(Path.Combine(dir, BestName)) is not null;
        bool marked = entries.Contains(MarkerName) || entries.Contains(MetricsName) || complete;
        if (marked) return complete ? RunFolderKind.Run : RunFolderKind.IncompleteRun;
        // Unmarked: only the leftovers of a checkpoint write make it a run that never got started properly.
        var others = entries.Where(e => !IsCheckpointLeftover(e)).Order(StringComparer.Ordinal).ToList();
        if (others.Count == 0) return RunFolderKind.IncompleteRun;
        foreign = others.Take(3).ToList();
        return RunFolderKind.Other;
    }

    /// <summary>
    /// Makes <paramref name="dir"/> the folder of a new run of <paramref name="task"/>: creates it, or starts over an
    /// incomplete run there (deleting only that run's files), and writes <see cref="MarkerName"/>, which also proves
    /// the folder writable before any training starts. Refuses a folder holding a run with a checkpoint, a checkpoint,
    /// or anything else, and changes nothing then.
    /// </summary>
    /// <exception cref="IOException">The folder cannot be used (the message says why and what to do).</exception>
    public static void PrepareNew(string dir, string task, string resumeHint)
    {
        ArgumentException.ThrowIfNullOrEmpty(dir);
        switch (Inspect(dir, out var foreign))
        {
            case RunFolderKind.Run:
                throw new IOException($"'{dir}' already holds a training run; continue it with {resumeHint}, or choose another folder (nothing was changed).");
            case RunFolderKind.Checkpoint:
                throw new IOException($"'{dir}' is a checkpoint folder; choose a new or empty folder for the run (nothing was changed).");
            case RunFolderKind.Other:
                throw new IOException(File.Exists(dir)
                    ? $"'{dir}' is a file, not a folder."
                    : $"'{dir}' holds files that are not a training run's ({string.Join(", ", foreign)}{(foreign.Count == 3 ? ", ..." : "")}); choose a new or empty folder (nothing was changed).");
            case RunFolderKind.IncompleteRun:
                DeleteArtifacts(dir);
                break;
        }
        Directory.CreateDirectory(dir);
        try
        {
            AtomicFile.WriteAllText(Path.Combine(dir, MarkerName), new JsonObject
            {
                ["task"] = task,
                ["started"] = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
            }.ToJsonString(Checkpoint.Json.Indented));
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new IOException($"cannot write into '{dir}': {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Deletes what interrupted writes left in a run folder: temporary checkpoint folders and temporary files
    /// (<c>.NAME.*.tmp*</c>) of atomic writes, such as a half-written picture.
    /// </summary>
    public static void CleanUp(string dir)
    {
        CheckpointFolder.CleanUp(dir);
        if (!Directory.Exists(dir)) return;
        foreach (var file in Directory.EnumerateFiles(dir, ".*.tmp*"))
        {
            try
            {
                File.Delete(file);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>Copies checkpoint folder <paramref name="checkpoint"/> to <paramref name="runDir"/>'s <c>last/</c> (a new run that continues from it).</summary>
    public static void AdoptCheckpoint(string checkpoint, string runDir)
    {
        string target = Path.Combine(runDir, LastName);
        CheckpointFolder.Commit(target, temp =>
        {
            foreach (var file in Directory.EnumerateFiles(checkpoint))
                if (Path.GetFileName(file) != CheckpointFolder.ManifestName) File.Copy(file, Path.Combine(temp, Path.GetFileName(file)));
        }, () => File.ReadAllText(Path.Combine(checkpoint, CheckpointFolder.ManifestName)));
    }

    private static bool IsCheckpointLeftover(string name) =>
        name is BestName or LastName or ".best.old" or ".last.old" || (name.StartsWith('.') && name.Contains(".tmp", StringComparison.Ordinal));

    // What a run writes: deleted when an incomplete run is started again; anything else in the folder is left alone.
    private static bool IsArtifact(string name, string dir) =>
        name is MarkerName or MetricsName || IsCheckpointLeftover(name)
        || (name.EndsWith(".png", StringComparison.OrdinalIgnoreCase) && File.Exists(Path.Combine(dir, name)));

    private static void DeleteArtifacts(string dir)
    {
        foreach (var entry in Directory.EnumerateFileSystemEntries(dir).ToList())
        {
            string name = Path.GetFileName(entry);
            if (!IsArtifact(name, dir)) continue;
            if (Directory.Exists(entry)) Directory.Delete(entry, recursive: true);
            else File.Delete(entry);
        }
    }
}
