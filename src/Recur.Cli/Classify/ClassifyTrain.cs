// B batch, T time, C classes
using System.Globalization;
using Recur.Autograd;
using Recur.Cli.Common;
using Recur.Data;
using Recur.Kernels;
using Recur.Models;
using Recur.NN;
using Recur.Training;

namespace Recur.Cli.Classify;

/// <summary>
/// <c>recur classify train</c>: a labelled file -&gt; <see cref="SequenceEncoder"/> -&gt; <see cref="SequenceClassifier"/>
/// -&gt; the library's <see cref="Trainer"/>, evaluated on the dev file (or a seeded stratified split) after every epoch.
/// </summary>
public static class ClassifyTrain
{
    /// <summary>The task's name in checkpoints.</summary>
    public const string Task = "classify";

    /// <summary>The command, for messages.</summary>
    public const string Command = "recur classify train";

    /// <summary>Trains as <paramref name="o"/> says, writing progress to <paramref name="output"/>; returns how the run ended.</summary>
    public static TrainResult Run(ClassifyTrainOptions o, TextWriter output, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(o);
        var common = o.Training;
        if (common.Resume is null)
            TrainingRun.RequireAll(("--train FILE (the labelled training data)", o.Train is null), ("--out DIR (the run folder)", common.Out is null));
        TrainingRun.Check(common);
        var location = RunLocation.Locate(common, Task, Command);
        var saved = location.From is Checkpoint from ? ClassifyCheckpoint.ReadConfig(from) : null;
        if (saved is not null) RefuseChanges(o, saved);

        // Data: read, split, encode.
        string trainPath = o.Train ?? saved!.Data.Train;
        var format = ClassifyData.ParseFormat(o.Format ?? saved?.Data.Format);
        var read = new ClassificationReadOptions { Format = format, TextColumn = o.TextColumn ?? saved?.Data.TextColumn, LabelColumn = o.LabelColumn ?? saved?.Data.LabelColumn };
        var all = ClassifyData.Read(trainPath, read, output);
        if (saved is not null && ClassifyCheckpoint.HashFile(trainPath) != saved.Data.TrainSha256)
            throw new UserErrorException($"'{trainPath}' is not the file this run was trained on; resume with the same --train.");
        bool text = all.Kind == ClassificationKind.Text;
        var d = ClassifyDefaults.For(text);
        var dataConfig = saved?.Data ?? DataConfig(o, d, all, trainPath);
        ulong seed = saved?.Training.Seed ?? common.Seed ?? d.Training.Seed;
        var (train, dev) = ClassifyData.TrainAndDev(all, dataConfig, o.Dev ?? saved?.Data.Dev, read, output, seed);
        int charEmbedding = o.CharEmbeddingSize ?? d.CharEmbeddingSize;
        if (!text && (o.CharEmbeddingSize is > 0 || o.CharHiddenSize is not null)) throw new UserErrorException($"'{trainPath}' holds series: --char-embedding-size and --char-hidden-size are for text.");
        var encoder = saved is not null && location.From is Checkpoint f2 ? ClassifyCheckpoint.ReadEncoder(f2, saved) : ClassifyData.BuildEncoder(train, all.Classes, dataConfig, characters: charEmbedding > 0);
        var trainSet = encoder.Encode(train);
        var devSet = encoder.Encode(dev);

        var model = saved?.Model ?? ModelConfig(o, d, encoder, all);
        CheckModel(model);
        int batchesPerEpoch = (trainSet.Count + dataConfig.BatchSize - 1) / dataConfig.BatchSize;
        long? maxEpochs = common.MaxEpochs ?? d.Training.MaxEpochs;
        long runSteps = common.MaxSteps ?? (maxEpochs ?? 1) * batchesPerEpoch;
        var training = saved?.Training ?? TrainingConfig.New(common, d.Training, runSteps);
        var options = TrainingRun.Options(common, d.Training, Task, location, t => t with
        {
            Schedule = training.CreateSchedule(),
            Monitor = "val_accuracy",
            Mode = MonitorMode.Max,
            TieBreak = "val_loss",
            ItemName = text ? "sentences" : "series",
            UniformLoss = Math.Log(model.Classes),
        });

        location.Prepare();
        TrainingRun.ApplyThreads(common);
        output.WriteLine($"Data: {train.Count:N0} {(text ? "texts" : "series")} to train on, {dev.Count:N0} to validate on ({(dataConfig.Dev is null ? $"a seeded stratified {Percent.Of(dataConfig.DevFraction, 0)} of {Path.GetFileName(trainPath)}" : Path.GetFileName(dataConfig.Dev))}); {encoder.Labels.Describe()}.");
        if (encoder.Vocabulary is not null) output.WriteLine($"Vocabulary: {encoder.Vocabulary.Size:N0} words (min count {dataConfig.MinCount}), <unk> for the rest; {Percent.Of(Unknown(devSet), 1)} of the validation tokens are <unk>.");
        var rng = new RandomGenerator(training.Seed);
        var classifier = new SequenceClassifier(model, rng);
        if (location.IsNew && o.Vectors is not null) LoadVectors(classifier, encoder, o.Vectors, o.FreezeVectors, output);
        output.WriteLine($"Model: {Describe(model)}; {classifier.ParameterCount:N0} parameters.");
        var optimizer = training.CreateOptimizer(classifier);
        var trainer = new Trainer(classifier, optimizer, options) { CheckpointConfig = ClassifyCheckpoint.ConfigJson(new ClassifyCheckpoint.Saved(model, training, dataConfig)) };
        foreach (var (name, content) in ClassifyCheckpoint.Files(encoder)) trainer.CheckpointFiles[name] = content;
        trainer.Track("model", rng);
        var wordDropout = new RandomGenerator(training.Seed + 1);
        trainer.Track("word_dropout", wordDropout);
        if (location.From is Checkpoint resume) trainer.Resume(resume);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Training: batches of {dataConfig.BatchSize} ({batchesPerEpoch:N0} per epoch), AdamW (weight decay {training.WeightDecay}), {training.CreateSchedule().Describe()}, clip {options.GradClip}{(options.AverageDecay is double avg ? $", weights averaged (decay {avg})" : "")}, {KernelThreading.MaxThreads} threads; {(options.Select == CheckpointSelection.Last ? "the final weights are the model (--keep last), validation accuracy reported" : $"best and early stopping on validation accuracy, ties broken by validation loss{(options.Patience > 0 ? $" (patience {options.Patience})" : "")}")}."));
        if (TrainingRun.WarmupWarning(training.WarmupSteps, options.MaxSteps ?? (options.MaxEpochs * batchesPerEpoch)) is string warning) output.WriteLine(warning);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{(location.IsNew ? "Starting" : $"Resuming at step {trainer.Step:N0}")}; stop after {(options.MaxEpochs is long e ? $"{e} epochs" : $"{options.MaxSteps:N0} steps")}{(options.MaxTime is TimeSpan t ? $" or {DurationText.Format(t)}" : "")}; writing to {location.RunDir}."));

        var weights = ClassWeights(dataConfig.ClassWeights, trainSet, model.Classes);
        var source = new SequenceBatchSource(trainSet, dataConfig.BatchSize, training.Seed, dataConfig.MaxLength);
        Variable Step(SequenceBatch batch)
        {
            if (dataConfig.WordDropout > 0 && batch.Tokens is PaddedTokens tokens) DropWords(tokens.Ids, dataConfig.WordDropout, wordDropout);
            return CrossEntropyLoss.Compute(classifier.Forward(batch), batch.Labels, weight: weights);
        }
        Metrics Evaluate()
        {
            var logits = classifier.PredictLogits(devSet, maxLength: dataConfig.MaxLength);
            var report = ClassificationReport.FromLogits(logits, devSet.Labels, model.Classes, out double loss);
            return new Metrics { ["val_loss"] = loss, ["val_accuracy"] = report.Accuracy, ["val_macro_f1"] = report.MacroF1 };
        }
        var display = new RunDisplay(Describe(model), text ? "sentences" : "series", "cross-entropy, nats", (r, improved) => EvaluationLine(r, improved, text));
        var result = TrainingRun.Fit(trainer, source, Step, Evaluate, display, output, cancel);
        output.WriteLine(TrainingRun.Describe(result, location.RunDir, Command, b => string.Create(CultureInfo.InvariantCulture, $"validation accuracy {Percent.Of(b, 2)}")));
        if (result.Reason != StopReason.Diverged)
            output.WriteLine($"Evaluate with: recur classify eval --model {location.RunDir} --data FILE");
        return result;
    }

    private static ClassifyDataConfig DataConfig(ClassifyTrainOptions o, ClassifyDefaults d, ClassificationData all, string trainPath)
    {
        bool text = all.Kind == ClassificationKind.Text;
        if (!text && (o.Lowercase is not null || o.SplitPunctuation is not null || o.MinCount is not null || o.MaxVocab is not null || o.Vectors is not null || o.WordDropout is not null))
            throw new UserErrorException($"'{trainPath}' holds series: --lowercase, --split-punctuation, --min-count, --max-vocab, --vectors and --word-dropout are for text.");
        if (text && o.Normalize is not null) throw new UserErrorException($"'{trainPath}' holds texts: --normalize is for series.");
        var c = new ClassifyDataConfig
        {
            Kind = text ? "text" : "series",
            Format = all.Format.Name(),
            TextColumn = o.TextColumn,
            LabelColumn = o.LabelColumn,
            Train = Path.GetFullPath(trainPath),
            TrainSha256 = ClassifyCheckpoint.HashFile(trainPath),
            Dev = o.Dev is null ? null : Path.GetFullPath(o.Dev),
            DevFraction = o.DevFraction ?? d.DevFraction,
            BatchSize = o.BatchSize ?? d.BatchSize,
            MaxLength = o.MaxLength,
            WordDropout = o.WordDropout ?? d.WordDropout,
            ClassWeights = o.ClassWeights?.ToLowerInvariant() ?? "none",
            Normalize = o.Normalize?.ToLowerInvariant() ?? "standard",
            Lowercase = o.Lowercase ?? true,
            SplitPunctuation = o.SplitPunctuation ?? true,
            MinCount = o.MinCount ?? 1,
            MaxVocab = o.MaxVocab,
            Vectors = o.Vectors is null ? null : Path.GetFullPath(o.Vectors),
        };
        if (!(c.DevFraction > 0 && c.DevFraction < 1)) throw new UserErrorException($"--dev-fraction must be between 0 and 1, got {c.DevFraction.ToString(CultureInfo.InvariantCulture)}.");
        TrainingRun.Range(c.BatchSize, 1, 1 << 16, "--batch-size");
        if (c.MaxLength is int m) TrainingRun.Range(m, 1, 1 << 20, "--max-length");
        if (!(c.WordDropout >= 0 && c.WordDropout < 1)) throw new UserErrorException($"--word-dropout must be in [0, 1), got {c.WordDropout.ToString(CultureInfo.InvariantCulture)}.");
        if (c.ClassWeights is not ("none" or "balanced")) throw new UserErrorException($"--class-weights must be none or balanced, got '{c.ClassWeights}'.");
        if (c.Normalize is not ("standard" or "none")) throw new UserErrorException($"--normalize must be standard or none, got '{c.Normalize}'.");
        TrainingRun.Range(c.MinCount, 1, int.MaxValue, "--min-count");
        if (c.MaxVocab is int v) TrainingRun.Range(v, 3, 1 << 24, "--max-vocab");
        return c;
    }

    private static SequenceClassifierConfig ModelConfig(ClassifyTrainOptions o, ClassifyDefaults d, SequenceEncoder encoder, ClassificationData all)
    {
        bool text = encoder.ReadsText;
        if (text && o.Projection is not null) throw new UserErrorException("--projection is for series; texts go through --embedding-size.");
        if (!text && o.EmbeddingSize is not null) throw new UserErrorException("--embedding-size is for texts; series go through --projection.");
        var c = new SequenceClassifierConfig
        {
            Input = text ? "tokens" : "values",
            VocabSize = encoder.Vocabulary?.Size ?? 0,
            EmbeddingSize = o.EmbeddingSize ?? d.EmbeddingSize,
            CharVocabSize = encoder.Characters?.Size ?? 0,
            CharEmbeddingSize = text ? o.CharEmbeddingSize ?? d.CharEmbeddingSize : 0,
            CharHiddenSize = o.CharHiddenSize ?? d.CharHiddenSize,
            Features = text ? 0 : all.Features,
            Projection = o.Projection ?? d.Projection,
            Cell = o.Cell?.ToLowerInvariant() ?? d.Cell,
            HiddenSize = o.HiddenSize ?? d.HiddenSize,
            Layers = o.Layers ?? d.Layers,
            Bidirectional = o.Bidirectional ?? d.Bidirectional,
            Pooling = o.Pooling?.ToLowerInvariant() ?? d.Pooling,
            AttentionSize = o.AttentionSize ?? d.AttentionSize,
            Dropout = o.Dropout ?? d.Dropout,
            InputDropout = o.InputDropout ?? d.InputDropout,
            Classes = encoder.Labels.Count,
        };
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

    // Parameters, gradients and AdamW's two buffers must fit in memory; checked before anything is allocated.
    private static void CheckModel(SequenceClassifierConfig model)
    {
        long bytes = 16 * model.ParameterCount();
        long budget = Math.Max(1L << 30, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 2);
        if (bytes > budget)
            throw new UserErrorException($"the model would need about {bytes >> 20:N0} MiB for its {model.ParameterCount():N0} parameters and their optimizer state, more than the {budget >> 20:N0} MiB available; use smaller sizes.");
    }

    private static void RefuseChanges(ClassifyTrainOptions o, ClassifyCheckpoint.Saved saved)
    {
        var m = saved.Model;
        var list = new List<string>();
        void Check<T>(string option, T? given, T actual) where T : struct
        {
            if (given is T g && !EqualityComparer<T>.Default.Equals(g, actual)) list.Add(string.Create(CultureInfo.InvariantCulture, $"{option} {g} (checkpoint: {actual})"));
        }
        void CheckText(string option, string? given, string actual)
        {
            if (given is not null && !given.Equals(actual, StringComparison.OrdinalIgnoreCase)) list.Add($"{option} {given} (checkpoint: {actual})");
        }
        CheckText("--cell", o.Cell, m.Cell);
        CheckText("--pooling", o.Pooling, m.Pooling);
        Check("--hidden-size", o.HiddenSize, m.HiddenSize);
        Check("--layers", o.Layers, m.Layers);
        Check("--bidirectional", o.Bidirectional, m.Bidirectional);
        Check("--embedding-size", o.EmbeddingSize, m.EmbeddingSize);
        Check("--dropout", o.Dropout, m.Dropout);
        Check("--batch-size", o.BatchSize, saved.Data.BatchSize);
        Check("--word-dropout", o.WordDropout, saved.Data.WordDropout);
        if (o.Dev is not null && (saved.Data.Dev is null || Path.GetFullPath(o.Dev) != saved.Data.Dev)) list.Add($"--dev {o.Dev} (checkpoint: {saved.Data.Dev ?? "a split of --train"})");
        list.AddRange(saved.Training.Conflicts(o.Training));
        if (list.Count > 0)
            throw new UserErrorException($"--resume continues the checkpoint's configuration, but these options differ from it: {string.Join(", ", list)}. Leave them out, or start a new run with another --out.");
    }

    private static void LoadVectors(SequenceClassifier model, SequenceEncoder encoder, string path, bool freeze, TextWriter output)
    {
        WordVectors vectors;
        try
        {
            vectors = WordVectors.Load(path, encoder.Vocabulary!);
        }
        catch (InvalidDataException ex)
        {
            throw new UserErrorException(ex.Message);
        }
        EmbeddingVectors.Load(model.Embedding!, vectors, freeze);
        output.WriteLine($"Vectors: {vectors.Describe()}{(freeze ? "; frozen" : "; fine-tuned")}.");
    }

    private static Tensor? ClassWeights(string mode, EncodedSequences train, int classes)
    {
        if (mode != "balanced") return null;
        var counts = new int[classes];
        foreach (int l in train.Labels) counts[l]++;
        var w = new Tensor(classes);
        for (int c = 0; c < classes; c++) w.Span[c] = counts[c] == 0 ? 0 : (float)train.Count / (classes * counts[c]);
        return w;
    }

    private static void DropWords(int[] ids, double p, RandomGenerator rng)
    {
        for (int i = 0; i < ids.Length; i++)
            if (ids[i] != WordVocabulary.PadId && rng.NextDouble() < p) ids[i] = WordVocabulary.UnknownId;
    }

    private static double Unknown(EncodedSequences data)
    {
        long unknown = 0, total = 0;
        foreach (var s in data.Tokens!)
        {
            total += s.Length;
            foreach (int id in s) if (id == WordVocabulary.UnknownId) unknown++;
        }
        return total == 0 ? 0 : (double)unknown / total;
    }

    /// <summary>A one-line description such as "embedding 128 -> BiLSTM 1x128 -> max pooling -> 2 classes".</summary>
    public static string Describe(SequenceClassifierConfig m)
    {
        ArgumentNullException.ThrowIfNull(m);
        string input = m.ReadsTokens ? $"embedding {m.EmbeddingSize}{(m.HasCharacters ? $" + character BiLSTM 2x{m.CharHiddenSize}" : "")}" : m.Projection > 0 ? $"{m.Features} features -> projection {m.Projection}" : $"{m.Features} features";
        string rnn = $"{(m.Bidirectional ? "Bi" : "")}{m.Cell.ToUpperInvariant()} {m.Layers}x{m.HiddenSize}";
        return string.Create(CultureInfo.InvariantCulture, $"{input} -> {rnn} -> {m.Pooling} pooling -> dropout {m.Dropout} -> {m.Classes} classes");
    }

    private static string EvaluationLine(Metrics r, bool improved, bool text) => string.Create(CultureInfo.InvariantCulture,
        $"epoch {r["epoch"],3}  step {r["step"],6:N0}  train {r["train_loss"]:F3}  val {r["val_loss"]:F3}  accuracy {Percent.Of(r["val_accuracy"], 2)}  macro-F1 {Percent.Of(r["val_macro_f1"], 2)}  lr {r["lr"]:G3}  {TrainProgress.Rate(r[$"{(text ? "sentences" : "series")}_per_s"])} {(text ? "sentences" : "series")}/s  {DurationText.Format(TimeSpan.FromSeconds(r["elapsed_s"]))}{(improved ? "  *best" : "")}");
}
