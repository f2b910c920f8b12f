using System.CommandLine;
using Recur.Cli.Common;

namespace Recur.Cli.Classify;

/// <summary><c>recur classify train|eval|predict</c>: whole-sequence classification of texts and numeric series.</summary>
public static class ClassifyCommand
{
    /// <summary>Builds the command group.</summary>
    public static Command Create()
    {
        var cmd = new Command("classify", "Classify whole sequences: sentences (sentiment) or numeric series (ECG, sensors). Train, evaluate, predict.");
        cmd.Subcommands.Add(CreateTrain());
        cmd.Subcommands.Add(CreateEval());
        cmd.Subcommands.Add(CreatePredict());
        return cmd;
    }

    // One default when text and series share it, else both.
    private static string Both(object text, object series)
    {
        static string Show(object v) => v is bool b ? (b ? "true" : "false") : Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture)!;
        return TrainingOptionSet.Default(Show(text) == Show(series) ? Show(text) : $"{Show(text)} for text, {Show(series)} for series");
    }

    private static Command CreateTrain()
    {
        var t = ClassifyDefaults.Text;
        var s = ClassifyDefaults.Series;
        var train = new Option<string?>("--train") { Description = "Labelled training file (label<TAB>text, label text, text<TAB>label, CSV, UCR .txt or UEA .ts)." };
        var dev = new Option<string?>("--dev") { Description = "Labelled validation file [default: a seeded stratified split of --train]." };
        var devFraction = new Option<double?>("--dev-fraction") { Description = $"Share of --train held out without --dev{TrainingOptionSet.Default(t.DevFraction)}." };
        var format = new Option<string?>("--format") { Description = "File format: auto, label-tab-text, label-text, text-tab-label, csv, ucr or ts [default: auto]." };
        var textColumn = new Option<string?>("--text-column") { Description = "CSV: the text column, by header name or 0-based index." };
        var labelColumn = new Option<string?>("--label-column") { Description = "CSV: the label column, by header name or 0-based index." };
        var cell = new Option<string?>("--cell") { Description = $"Recurrent cell: lstm, gru or rnn{Both(t.Cell, s.Cell)}." };
        var hidden = new Option<int?>("--hidden-size") { Description = $"Hidden units per layer and direction{Both(t.HiddenSize, s.HiddenSize)}." };
        var layers = new Option<int?>("--layers") { Description = $"Stacked recurrent layers{Both(t.Layers, s.Layers)}." };
        var bidirectional = new Option<bool?>("--bidirectional") { Description = $"Read both directions (true or false){Both(t.Bidirectional, s.Bidirectional)}." };
        var pooling = new Option<string?>("--pooling") { Description = $"From steps to one vector: last, mean, max or attention{Both(t.Pooling, s.Pooling)}." };
        var attention = new Option<int?>("--attention-size") { Description = $"Hidden size of attention pooling{TrainingOptionSet.Default(t.AttentionSize)}." };
        var embedding = new Option<int?>("--embedding-size") { Description = $"Text: word embedding size{TrainingOptionSet.Default(t.EmbeddingSize)}." };
        var charEmbedding = new Option<int?>("--char-embedding-size") { Description = $"Text: character features for every word, a BiLSTM over its characters with embeddings of this size, 0 for none{TrainingOptionSet.Default(t.CharEmbeddingSize)}." };
        var charHidden = new Option<int?>("--char-hidden-size") { Description = $"Text: hidden units per direction of the character BiLSTM{TrainingOptionSet.Default(t.CharHiddenSize)}." };
        var projection = new Option<int?>("--projection") { Description = $"Series: a linear layer of this size before the recurrent stack, 0 for none{TrainingOptionSet.Default(s.Projection)}." };
        var dropout = new Option<double?>("--dropout") { Description = $"Dropout on the pooled vector and between layers{Both(t.Dropout, s.Dropout)}." };
        var inputDropout = new Option<double?>("--input-dropout") { Description = $"Dropout on the recurrent stack's inputs{Both(t.InputDropout, s.InputDropout)}." };
        var wordDropout = new Option<double?>("--word-dropout") { Description = $"Text: chance that a training word is replaced by <unk>{TrainingOptionSet.Default(t.WordDropout)}." };
        var batch = new Option<int?>("--batch-size") { Description = $"Sequences per step{Both(t.BatchSize, s.BatchSize)}." };
        var maxLength = new Option<int?>("--max-length") { Description = "Steps kept of each sequence (longer ones are cut) [default: all]." };
        var lowercase = new Option<bool?>("--lowercase") { Description = "Text: lower-case words (true or false) [default: true]." };
        var punctuation = new Option<bool?>("--split-punctuation") { Description = "Text: split punctuation off words (true or false) [default: true]." };
        var minCount = new Option<int?>("--min-count") { Description = "Text: words seen fewer times become <unk> [default: 1]." };
        var maxVocab = new Option<int?>("--max-vocab") { Description = "Text: the most words kept, <pad> and <unk> included [default: all]." };
        var vectors = new Option<string?>("--vectors") { Description = "Text: pretrained word vectors (word2vec / GloVe / fastText .vec text) to start the embedding from." };
        var freeze = new Option<bool>("--freeze-vectors") { Description = "Text: keep the pretrained vectors fixed." };
        var weights = new Option<string?>("--class-weights") { Description = "Weigh the loss of each class: none or balanced (inverse frequency) [default: none]." };
        var normalize = new Option<string?>("--normalize") { Description = "Series: standard (per feature, fitted on the training data) or none [default: standard]." };
        var common = new TrainingOptionSet(t.Training, "checkpoints (best/, last/), metrics.jsonl, loss.png and metrics.png", new Dictionary<string, string>
        {
            ["--max-epochs"] = Both(t.Training.MaxEpochs!, s.Training.MaxEpochs!),
            ["--patience"] = Both(t.Training.Patience, s.Training.Patience),
            ["--keep"] = Both(t.Training.Keep, s.Training.Keep),
            ["--lr"] = Both(t.Training.LearningRate, s.Training.LearningRate),
            ["--warmup"] = Both(t.Training.Warmup, s.Training.Warmup),
            ["--weight-decay"] = Both(t.Training.WeightDecay, s.Training.WeightDecay),
            ["--weight-average"] = Both((object?)t.Training.WeightAverage ?? "none", (object?)s.Training.WeightAverage ?? "none"),
            ["--max-steps"] = TrainingOptionSet.Default("none"),
        });
        var cmd = new Command("train", "Train a sequence classifier (embedding or input projection -> LSTM/GRU/RNN -> pooling -> linear) with early stopping on validation accuracy.")
        {
            train, dev, devFraction, format, textColumn, labelColumn, cell, hidden, layers, bidirectional, pooling, attention, embedding, charEmbedding, charHidden, projection,
            dropout, inputDropout, wordDropout, batch, maxLength, lowercase, punctuation, minCount, maxVocab, vectors, freeze, weights, normalize,
        };
        common.AddTo(cmd);
        cmd.SetAction(p => CliErrors.Run(p, () =>
        {
            var o = new ClassifyTrainOptions
            {
                Train = p.GetValue(train), Dev = p.GetValue(dev), DevFraction = p.GetValue(devFraction), Format = p.GetValue(format),
                TextColumn = p.GetValue(textColumn), LabelColumn = p.GetValue(labelColumn), Cell = p.GetValue(cell), HiddenSize = p.GetValue(hidden),
                Layers = p.GetValue(layers), Bidirectional = p.GetValue(bidirectional), Pooling = p.GetValue(pooling), AttentionSize = p.GetValue(attention),
                EmbeddingSize = p.GetValue(embedding), CharEmbeddingSize = p.GetValue(charEmbedding), CharHiddenSize = p.GetValue(charHidden), Projection = p.GetValue(projection), Dropout = p.GetValue(dropout), InputDropout = p.GetValue(inputDropout),
                WordDropout = p.GetValue(wordDropout), BatchSize = p.GetValue(batch), MaxLength = p.GetValue(maxLength), Lowercase = p.GetValue(lowercase),
                SplitPunctuation = p.GetValue(punctuation), MinCount = p.GetValue(minCount), MaxVocab = p.GetValue(maxVocab), Vectors = p.GetValue(vectors),
                FreezeVectors = p.GetValue(freeze), ClassWeights = p.GetValue(weights), Normalize = p.GetValue(normalize), Training = common.Bind(p),
            };
            return TrainingRun.ExitCode(Interrupts.Handle(token => ClassifyTrain.Run(o, Console.Out, token)));
        }));
        return cmd;
    }

    private static Command CreateEval()
    {
        var model = new Option<string>("--model") { Description = "Run folder (its best checkpoint) or checkpoint folder.", Required = true };
        var data = new Option<string>("--data") { Description = "Labelled file to score (same kind as the training data).", Required = true };
        var format = new Option<string?>("--format") { Description = "File format [default: the training file's, or auto-detected]." };
        var json = new Option<string?>("--json") { Description = "Also write the scores as JSON to this file." };
        var plot = new Option<string?>("--plot") { Description = "The confusion-matrix PNG [default: confusion.png in the model's folder]." };
        var cmd = new Command("eval", "Score a model on a labelled file: accuracy, macro-F1, per-class precision/recall/F1, confusion matrix (table and PNG).") { model, data, format, json, plot };
        cmd.SetAction(p => CliErrors.Run(p, () => ClassifyEval.Run(new ClassifyEvalOptions(p.GetValue(model)!, p.GetValue(data)!, p.GetValue(format), p.GetValue(json), p.GetValue(plot)), Console.Out)));
        return cmd;
    }

    private static Command CreatePredict()
    {
        var model = new Option<string>("--model") { Description = "Run folder (its best checkpoint) or checkpoint folder.", Required = true };
        var input = new Option<string?>("--input") { Description = "One text (or series) per line; - or leave out for standard input." };
        var cmd = new Command("predict", "Predict the class of each input line: prints the label and its probability, tab-separated.") { model, input };
        cmd.SetAction(p => CliErrors.Run(p, () => ClassifyPredict.Run(new ClassifyPredictOptions(p.GetValue(model)!, p.GetValue(input)), Console.In, CliOutput.Standard())));
        return cmd;
    }
}
