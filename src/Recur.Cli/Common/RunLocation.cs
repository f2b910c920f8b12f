using Recur.Training;

namespace Recur.Cli.Common;

/// <summary>
/// Where a <c>train</c> command runs and what it continues from, decided from --out and --resume before anything is
/// written: a new run in --out; --resume RUN continues RUN in place; --resume RUN --out NEW and --resume CHECKPOINT
/// --out NEW continue from that checkpoint in a new run folder (the checkpoint and the metrics so far are copied).
/// </summary>
public sealed class RunLocation
{
    private readonly string? _copyCheckpoint;
    private readonly string? _copyMetrics;
    private readonly string _task;

    private RunLocation(string runDir, string task, Checkpoint? from, string? copyCheckpoint, string? copyMetrics)
    {
        RunDir = runDir;
        _task = task;
        From = from;
        _copyCheckpoint = copyCheckpoint;
        _copyMetrics = copyMetrics;
    }

    /// <summary>The run folder.</summary>
    public string RunDir { get; }

    /// <summary>The checkpoint to resume from (null for a new run).</summary>
    public Checkpoint? From { get; private set; }

    /// <summary>True for a new run.</summary>
    public bool IsNew => From is null;

    /// <summary>Decides where the run goes (see the type's summary); reads, but writes nothing.</summary>
    /// <exception cref="UserErrorException">The folders do not allow it (the message says what to do).</exception>
    public static RunLocation Locate(CommonTrainOptions o, string task, string command)
    {
        ArgumentNullException.ThrowIfNull(o);
        if (o.Resume is null)
        {
            string dir = o.Out ?? throw new UserErrorException($"--out DIR is required: the folder for the run (or --resume DIR to continue one).");
            CheckNewFolder(dir, command);
            return new RunLocation(dir, task, null, null, null);
        }
        string resume = o.Resume;
        string? other = o.Out is not null && !SameFolder(o.Out, resume) ? o.Out : null;
        switch (RunFolder.Inspect(resume, out _))
        {
            case RunFolderKind.Run:
                var last = Load(resume, task);
                if (other is null) return new RunLocation(resume, task, last, null, null);
                CheckNewFolder(other, command);
                return new RunLocation(other, task, last, last.Folder, Path.Combine(resume, RunFolder.MetricsName));
            case RunFolderKind.Checkpoint:
                if (other is null)
                    throw new UserErrorException($"--resume '{resume}' is a checkpoint folder, not a run folder: to continue from it, name a new run folder with --out (the checkpoint is copied there), or resume its run folder '{Path.GetDirectoryName(Path.GetFullPath(resume).TrimEnd('/'))}'.");
                var checkpoint = Load(resume, task);
                CheckNewFolder(other, command);
                return new RunLocation(other, task, checkpoint, checkpoint.Folder, null);
            case RunFolderKind.IncompleteRun:
                throw new UserErrorException($"--resume '{resume}' holds no complete checkpoint: the run stopped before its first one. Start it again with --out {resume}.");
            case RunFolderKind.Missing:
                throw new UserErrorException($"--resume '{resume}' does not exist.");
            default:
                throw new UserErrorException($"--resume '{resume}' is not a training run folder (no {RunFolder.MarkerName}, {RunFolder.MetricsName} or checkpoints).");
        }
    }

    /// <summary>Creates or takes over the run folder and copies what a continued run starts from.</summary>
    /// <exception cref="UserErrorException">The folder cannot be written.</exception>
    public void Prepare()
    {
        try
        {
            if (From is null || _copyCheckpoint is not null) RunFolder.PrepareNew(RunDir, _task, $"--resume {RunDir}");
            if (_copyCheckpoint is not null)
            {
                RunFolder.AdoptCheckpoint(_copyCheckpoint, RunDir);
                if (_copyMetrics is not null && File.Exists(_copyMetrics)) File.Copy(_copyMetrics, Path.Combine(RunDir, RunFolder.MetricsName), overwrite: true);
                From = Checkpoint.Load(RunDir, _task, preferLast: true);
            }
            RunFolder.CleanUp(RunDir);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new UserErrorException($"cannot write into '{RunDir}': {ex.Message}");
        }
    }

    private static Checkpoint Load(string path, string task)
    {
        var checkpoint = Checkpoint.Load(path, task, preferLast: true);
        if (!checkpoint.CanResume) throw new UserErrorException($"checkpoint '{checkpoint.Folder}' holds a model only (no optimizer or trainer state); a run cannot continue from it.");
        return checkpoint;
    }

    // Refuses a folder that cannot take a new run, before anything is written.
    private static void CheckNewFolder(string dir, string command)
    {
        switch (RunFolder.Inspect(dir, out var foreign))
        {
            case RunFolderKind.Run:
                throw new UserErrorException($"--out '{dir}' already holds a training run; continue it with {command} --resume {dir}, or choose another --out (nothing was changed).");
            case RunFolderKind.Checkpoint:
                throw new UserErrorException($"--out '{dir}' is a checkpoint folder; choose a new or empty folder for the run (nothing was changed).");
            case RunFolderKind.Other when File.Exists(dir):
                throw new UserErrorException($"--out '{dir}' is a file, not a folder.");
            case RunFolderKind.Other:
                throw new UserErrorException($"--out '{dir}' holds files that are not a training run's ({string.Join(", ", foreign)}{(foreign.Count == 3 ? ", ..." : "")}); choose a new or empty folder (nothing was changed).");
        }
    }

    private static bool SameFolder(string a, string b) =>
        string.Equals(Path.GetFullPath(a).TrimEnd('/'), Path.GetFullPath(b).TrimEnd('/'), StringComparison.Ordinal);
}
