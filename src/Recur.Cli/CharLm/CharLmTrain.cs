// B batch (streams), T time, L layers, H hidden, V vocab
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Recur.Autograd;
using Recur.Cli.Common;
using Recur.Data;
using Recur.Kernels;
using Recur.Models;
using Recur.NN;
using Recur.Training;

namespace Recur.Cli.CharLm;

/// <summary>
/// Options of <c>recur charlm train</c>: the model and data options of the task, and the shared training options.
/// Null means "not given": a new run takes the defaults, a resumed run the checkpoint's values (and refuses a given
/// value that differs).
/// </summary>
public sealed record CharLmTrainOptions
{
    /// <summary>--data: the text to train on; the last 10% is the validation split.</summary>
    public string? Data { get; init; }

    /// <summary>--cell: lstm, gru or rnn.</summary>
    public string? Cell { get; init; }

    /// <summary>--hidden-size</summary>
    public int? HiddenSize { get; init; }

    /// <summary>--layers</summary>
    public int? Layers { get; init; }

    /// <summary>--dropout</summary>
    public double? Dropout { get; init; }

    /// <summary>--embedding-size</summary>
    public int? EmbeddingSize { get; init; }

    /// <summary>--seq-length: characters per stream per step (the BPTT length).</summary>
    public int? SeqLength { get; init; }

    /// <summary>--batch-size: parallel streams per step.</summary>
    public int? BatchSize { get; init; }

    /// <summary>The shared training options (limits, optimizer, schedule, folders).</summary>
    public CommonTrainOptions Training { get; init; } = new();
}

/// <summary><c>recur charlm train</c>: character data -&gt; <see cref="Models.CharLm"/> -&gt; the library's <see cref="Trainer"/>.</summary>
public static class CharLmTrain
{
    /// <summary>The task's name in checkpoints.</summary>
    public const string Task = "charlm";

    /// <summary>The command, for messages.</summary>
    public const string Command = "recur charlm train";

    /// <summary>Default BPTT length.</summary>
    public const int DefaultSeqLength = 64;

    /// <summary>Default number of streams.</summary>
    public const int DefaultBatchSize = 32;

    /// <summary>The shared options' defaults for this task.</summary>
    public static TrainingDefaults Defaults { get; } = new()
    {
        MaxSteps = 5000,
        EvalEvery = 200,
        LearningRate = 2e-3,
        Warmup = 100,
        WeightDecay = 0.01,
        GradClip = 1,
        Schedule = "cosine",
    };

    /// <summary>Trains as <paramref name="o"/> says, writing progress to <paramref name="output"/>; returns how the run ended.</summary>
    public static TrainResult Run(CharLmTrainOptions o, TextWriter output, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(o);
        var common = o.Training;
        if (common.Resume is null)
            TrainingRun.RequireAll(("--data FILE (the text to train on)", o.Data is null), ("--out DIR (the run folder)", common.Out is null));
        TrainingRun.Check(common);
        var location = RunLocation.Locate(common, Task, Command);
        CharLmConfig model;
        TrainingConfig training;
        int seqLength, batchSize;
        string dataPath;
        TextCorpus corpus;
        if (location.From is Checkpoint from)
        {
            var saved = CharLmCheckpoint.ReadConfig(from);
            (model, training, seqLength, batchSize) = (saved.Model, saved.Training, saved.SeqLength, saved.BatchSize);
            var conflicts = Conflicts(o, saved).Concat(training.Conflicts(common)).ToList();
            if (conflicts.Count > 0)
                throw new UserErrorException($"--resume continues the checkpoint's configuration, but these options differ from it: {string.Join(", ", conflicts)}. Leave them out, or start a new run with another --out.");
            dataPath = o.Data ?? saved.DataPath;
            corpus = LoadCorpus(dataPath);
            if (HashText(corpus.Text) != saved.DataHash)
                throw new UserErrorException($"data file '{dataPath}' is not the text this run was trained on ({saved.DataLength:N0} characters); resume with the same --data.");
        }
        else
        {
            dataPath = o.Data ?? throw new UserErrorException("--data FILE is required: the text file to train on.");
            corpus = LoadCorpus(dataPath);
            seqLength = o.SeqLength ?? DefaultSeqLength;
            batchSize = o.BatchSize ?? DefaultBatchSize;
            model = Checked(() => new CharLmConfig
            {
                Cell = o.Cell?.ToLowerInvariant() ?? "lstm",
                VocabSize = corpus.Vocabulary.Size,
                EmbeddingSize = o.EmbeddingSize ?? 64,
                HiddenSize = o.HiddenSize ?? 256,
                Layers = o.Layers ?? 2,
                Dropout = o.Dropout ?? 0.1,
            });
            TrainingRun.Range(seqLength, 1, 1 << 20, "--seq-length");
            TrainingRun.Range(batchSize, 1, 1 << 16, "--batch-size");
            training = TrainingConfig.New(common, Defaults, common.MaxSteps ?? Defaults.MaxSteps ?? 1);
            CheckLength(corpus, batchSize, seqLength, dataPath);
        }
        var options = TrainingRun.Options(common, Defaults, Task, location, t => t with
        {
            Schedule = training.CreateSchedule(),
            Monitor = "val_loss",
            ItemName = "chars",
            UniformLoss = Math.Log(model.VocabSize),
        });
        CharLmCheckpoint.CheckSize(model, batchSize, seqLength);

        location.Prepare();
        TrainingRun.ApplyThreads(common);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Data: {Path.GetFileName(dataPath)}, {corpus.Length:N0} characters, vocabulary {corpus.Vocabulary.Size}; train on the first {corpus.TrainLength:N0}, validate on the last {corpus.ValidationLength:N0}."));
        var rng = new RandomGenerator(training.Seed);
        var lm = new Models.CharLm(model, rng);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Model: embedding {model.EmbeddingSize} -> {model.Cell.ToUpperInvariant()} {model.Layers}x{model.HiddenSize} (dropout {model.Dropout}) -> {model.VocabSize}; {lm.ParameterCount:N0} parameters."));
        var optimizer = training.CreateOptimizer(lm);
        var trainer = new Trainer(lm, optimizer, options)
        {
            CheckpointConfig = CharLmCheckpoint.ConfigJson(model, training, seqLength, batchSize, dataPath, corpus),
        };
        trainer.CheckpointFiles[CharLmCheckpoint.VocabularyFile] = corpus.Vocabulary.ToJson();
        trainer.Track("model", rng);
        var carry = new CarriedState([model.Layers, batchSize, model.HiddenSize], lm.HasCellState);
        trainer.Track("carry", carry);
        if (location.From is Checkpoint resume) trainer.Resume(resume);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Training: {batchSize} streams x {seqLength} characters per step, AdamW (weight decay {training.WeightDecay}), {training.CreateSchedule().Describe()}, clip {options.GradClip}, {KernelThreading.MaxThreads} threads."));
        if (TrainingRun.WarmupWarning(training.WarmupSteps, options.MaxSteps) is string warning) output.WriteLine(warning);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{(location.IsNew ? "Starting" : $"Resuming at step {trainer.Step:N0}")}; stop at step {options.MaxSteps:N0}{(options.MaxTime is TimeSpan t ? $" or after {DurationText.Format(t)}" : "")}; evaluate every {options.EvalEvery} steps; writing to {location.RunDir}."));

        var source = new StreamBatchSource(corpus.Train, batchSize, seqLength);
        Variable Step(StreamBatch batch)
        {
            if (batch.StartsEpoch) carry.Clear(); // a new pass: the streams start over, so the carried state is stale
            var (logits, hN, cN) = lm.Forward(batch.Inputs, batch.Steps, batch.Batch, carry.H, carry.C);
            carry.Set(hN.Detach(), cN?.Detach());
            return CrossEntropyLoss.Compute(logits, batch.Targets);
        }
        Metrics Evaluate() => new() { ["val_loss"] = CharLmEvaluator.Loss(lm, corpus.Validation.Span) };
        var display = new RunDisplay($"{model.Cell.ToUpperInvariant()} {model.Layers}x{model.HiddenSize}, seq {seqLength}, batch {batchSize}", "chars", "nats per character", EvaluationLine);
        var result = TrainingRun.Fit(trainer, source, Step, Evaluate, display, output, cancel);
        output.WriteLine(TrainingRun.Describe(result, location.RunDir, Command,
            b => string.Create(CultureInfo.InvariantCulture, $"validation loss {b:F3} nats/char ({b / Math.Log(2):F3} bits)")));
        return result;
    }

    private static string EvaluationLine(Metrics r, bool improved)
    {
        double val = r["val_loss"];
        return string.Create(CultureInfo.InvariantCulture,
            $"step {r["step"],7:N0}  train {r["train_loss"]:F3}  val {val:F3} nats/char ({val / Math.Log(2):F3} bits)  lr {r["lr"]:G3}  {r["chars_per_s"] / 1000:F1}k chars/s  {DurationText.Format(TimeSpan.FromSeconds(r["elapsed_s"]))}{(improved ? "  *best" : "")}");
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

    /// <summary>SHA-256 of a text (its UTF-16 code units), to refuse resuming on different data.</summary>
    public static string HashText(string text) => Convert.ToHexString(SHA256.HashData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(text.AsSpan())));

    private static CharLmConfig Checked(Func<CharLmConfig> build)
    {
        var c = build();
        try
        {
            c.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new UserErrorException(ex.Message);
        }
        return c;
    }

    private static List<string> Conflicts(CharLmTrainOptions o, CharLmCheckpoint.Saved saved)
    {
        var list = new List<string>();
        var c = saved.Model;
        void Check<T>(string option, T? given, T actual) where T : struct
        {
            if (given is T g && !EqualityComparer<T>.Default.Equals(g, actual)) list.Add(string.Create(CultureInfo.InvariantCulture, $"{option} {g} (checkpoint: {actual})"));
        }
        if (o.Cell is not null && !o.Cell.Equals(c.Cell, StringComparison.OrdinalIgnoreCase)) list.Add($"--cell {o.Cell} (checkpoint: {c.Cell})");
        Check("--hidden-size", o.HiddenSize, c.HiddenSize);
        Check("--layers", o.Layers, c.Layers);
        Check("--dropout", o.Dropout, c.Dropout);
        Check("--embedding-size", o.EmbeddingSize, c.EmbeddingSize);
        Check("--seq-length", o.SeqLength, saved.SeqLength);
        Check("--batch-size", o.BatchSize, saved.BatchSize);
        return list;
    }

    private static void CheckLength(TextCorpus corpus, int batchSize, int seqLength, string path)
    {
        long needed = (long)batchSize * (seqLength + 1);
        if (corpus.TrainLength < needed || corpus.ValidationLength < 2)
            throw new UserErrorException(string.Create(CultureInfo.InvariantCulture,
                $"data file '{path}' has {corpus.Length:N0} characters, too short: {batchSize} streams of --seq-length {seqLength} + 1 need {needed:N0} in the training split (the first 90%); lower --batch-size or --seq-length, or use more text."));
    }

    /// <summary>The recurrent state carried from one batch to the next (truncated BPTT), saved in checkpoints as <c>carry.h</c> / <c>carry.c</c>.</summary>
    private sealed class CarriedState(int[] shape, bool hasCell) : ICheckpointable
    {
        public Variable? H { get; private set; } // [L, B, H]

        public Variable? C { get; private set; } // [L, B, H] (LSTM)

        public void Set(Variable h, Variable? c) => (H, C) = (h, c);

        public void Clear() => (H, C) = (null, null);

        public void SaveState(CheckpointState state)
        {
            if (H is not null) state.Tensors["h"] = H.Value;
            if (C is not null) state.Tensors["c"] = C.Value;
        }

        public void LoadState(CheckpointState state)
        {
            Clear();
            if (!state.Tensors.TryGetValue("h", out var h)) return;
            bool hasC = state.Tensors.TryGetValue("c", out var c);
            if (!h.HasShape(shape) || hasC != hasCell || (c is not null && !c.HasShape(shape)))
                throw new InvalidDataException($"the carried state does not have the model's shape {Tensor.FormatShape(shape)}.");
            H = new Variable(h);
            C = c is null ? null : new Variable(c);
        }
    }
}
