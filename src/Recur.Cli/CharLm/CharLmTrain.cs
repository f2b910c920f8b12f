using System.Globalization;
using Recur.Data;
using Recur.Kernels;
using Recur.Training;

namespace Recur.Cli.CharLm;

/// <summary><c>recur charlm train</c>: checks the options and folders, then trains, resumes or refuses.</summary>
public static class CharLmTrain
{
    /// <summary>Trains as <paramref name="o"/> says, writing progress to <paramref name="output"/>; returns the outcome.</summary>
    public static TrainOutcome Run(CharLmTrainOptions o, TextWriter output, CancellationToken cancel)
    {
        var limits = o.Limits();
        string runDir;
        CharLmConfig config;
        CharLmCheckpoint? resume = null;
        TextCorpus corpus;
        string dataPath;
        if (o.Resume is not null)
        {
            runDir = CheckpointFolder.IsComplete(o.Resume) ? Path.GetDirectoryName(Path.GetFullPath(o.Resume).TrimEnd('/'))! : o.Resume;
            if (o.Out is not null && Path.GetFullPath(o.Out).TrimEnd('/') != Path.GetFullPath(runDir).TrimEnd('/'))
                throw new UserErrorException($"--resume continues in its own folder '{runDir}'; leave out --out (it names '{o.Out}').");
            resume = CharLmCheckpoint.Load(o.Resume, training: true, preferLast: true);
            config = resume.Config;
            if (o.MaxSteps is null) limits = limits with { MaxSteps = config.DecaySteps }; // the original run's horizon
            var conflicts = o.Conflicts(config);
            if (conflicts.Count > 0)
                throw new UserErrorException($"--resume continues the checkpoint's configuration, but these options differ from it: {string.Join(", ", conflicts)}. Leave them out, or start a new run with another --out.");
            dataPath = o.Data ?? resume.State!.DataPath;
            corpus = LoadCorpus(dataPath);
            if (CharLmTrainingState.HashText(corpus.Text) != resume.State!.DataHash)
                throw new UserErrorException($"data file '{dataPath}' is not the text this run was trained on ({resume.State.DataLength:N0} characters); resume with the same --data.");
        }
        else
        {
            runDir = o.Out ?? throw new UserErrorException("--out DIR is required: the folder for checkpoints, metrics.jsonl and loss.png (or --resume DIR to continue a run).");
            dataPath = o.Data ?? throw new UserErrorException("--data FILE is required: the text file to train on.");
            RefuseExistingRun(runDir);
            corpus = LoadCorpus(dataPath);
            config = o.NewConfig(corpus.Vocabulary.Size);
            CheckLength(corpus, config, dataPath);
        }
        if (o.Threads is int threads) KernelThreading.MaxThreads = threads;
        Directory.CreateDirectory(runDir);
        CheckpointFolder.CleanUp(runDir);

        var trainer = new CharLmTrainer(config, corpus, dataPath, runDir, resume);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Data: {Path.GetFileName(dataPath)}, {corpus.Length:N0} characters, vocabulary {corpus.Vocabulary.Size}; train on the first {corpus.TrainLength:N0}, validate on the last {corpus.ValidationLength:N0}."));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Model: embedding {config.EmbeddingSize} -> {config.Cell.ToUpperInvariant()} {config.Layers}x{config.HiddenSize} (dropout {config.Dropout}) -> {config.VocabSize}; {trainer.Model.ParameterCount:N0} parameters."));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Training: {config.BatchSize} streams x {config.SequenceLength} characters per step, AdamW (weight decay {config.WeightDecay}), {config.LearningRateSchedule().Describe()}, clip {config.GradClip}, {KernelThreading.MaxThreads} threads."));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{(resume is null ? "Starting" : $"Resuming at step {trainer.Step:N0}")}; stop at step {limits.MaxSteps:N0}{(limits.MaxTime is TimeSpan t ? $" or after {DurationText.Format(t)}" : "")}; evaluate every {limits.EvalEvery} steps; writing to {runDir}."));

        TrainOutcome? outcome = null;
        var progress = TrainProgress.For(output);
        progress.Run(() => outcome = trainer.Run(limits, progress, cancel));
        output.WriteLine(Describe(outcome!, runDir));
        return outcome!;
    }

    /// <summary>Loads the data file, turning data problems into one-line user errors.</summary>
    public static TextCorpus LoadCorpus(string path)
    {
        try
        {
            return TextCorpus.Load(path);
        }
        catch (InvalidDataException ex)
        {
            throw new UserErrorException(ex.Message);
        }
    }

    private static void CheckLength(TextCorpus corpus, CharLmConfig c, string path)
    {
        long needed = (long)c.BatchSize * (c.SequenceLength + 1);
        if (corpus.TrainLength < needed || corpus.ValidationLength < 2)
            throw new UserErrorException(string.Create(CultureInfo.InvariantCulture,
                $"data file '{path}' has {corpus.Length:N0} characters, too short: {c.BatchSize} streams of --seq-length {c.SequenceLength} + 1 need {needed:N0} in the training split (the first 90%); lower --batch-size or --seq-length, or use more text."));
    }

    private static void RefuseExistingRun(string dir)
    {
        if (File.Exists(dir)) throw new UserErrorException($"--out '{dir}' is a file, not a folder.");
        if (!Directory.Exists(dir)) return;
        bool hasRun = CharLmCheckpoint.Find(dir, preferLast: true) is not null || File.Exists(Path.Combine(dir, "metrics.jsonl"))
            || CheckpointFolder.IsComplete(dir);
        if (hasRun)
            throw new UserErrorException($"--out '{dir}' already holds a training run; continue it with --resume {dir}, or choose another --out (nothing was changed).");
    }

    private static string Describe(TrainOutcome r, string runDir)
    {
        string why = r.Reason switch
        {
            StopReason.MaxSteps => "reached --max-steps",
            StopReason.MaxTime => "reached --max-time",
            StopReason.EarlyStopping => "validation loss stopped improving (--patience)",
            _ => "interrupted",
        };
        string best = r.BestValLoss is double b ? string.Create(CultureInfo.InvariantCulture, $"; best validation loss {b:F3} nats/char ({b / Math.Log(2):F3} bits) at step {r.BestStep:N0}") : "";
        return string.Create(CultureInfo.InvariantCulture, $"Stopped at step {r.Step:N0} ({why}){best}. Checkpoints in {runDir}; continue with: recur charlm train --resume {runDir}");
    }
}
