using System.CommandLine;
using Recur.Cli.Common;

namespace Recur.Cli.CharLm;

/// <summary><c>recur charlm train|sample|eval</c>: character-level language models.</summary>
public static class CharLmCommand
{
    /// <summary>Builds the command group.</summary>
    public static Command Create()
    {
        var cmd = new Command("charlm", "Character-level language models: train, sample, evaluate, compare runs.");
        cmd.Subcommands.Add(CreateTrain());
        cmd.Subcommands.Add(CreateSample());
        cmd.Subcommands.Add(CreateEval());
        cmd.Subcommands.Add(CreateCompare());
        return cmd;
    }

    private static Command CreateTrain()
    {
        var data = new Option<string?>("--data") { Description = "Text file to train on (UTF-8); the last 10% is the validation split." };
        var cell = new Option<string?>("--cell") { Description = $"Recurrent cell: lstm, gru or rnn{TrainingOptionSet.Default("lstm")}." };
        var hidden = new Option<int?>("--hidden-size") { Description = $"Hidden units per layer{TrainingOptionSet.Default(256)}." };
        var layers = new Option<int?>("--layers") { Description = $"Stacked recurrent layers{TrainingOptionSet.Default(2)}." };
        var dropout = new Option<double?>("--dropout") { Description = $"Dropout between layers and before the output{TrainingOptionSet.Default(0.1)}." };
        var embed = new Option<int?>("--embedding-size") { Description = $"Character embedding size{TrainingOptionSet.Default(64)}." };
        var seq = new Option<int?>("--seq-length") { Description = $"Characters per stream per step (BPTT length){TrainingOptionSet.Default(CharLmTrain.DefaultSeqLength)}." };
        var batch = new Option<int?>("--batch-size") { Description = $"Parallel streams per step{TrainingOptionSet.Default(CharLmTrain.DefaultBatchSize)}." };
        var common = new TrainingOptionSet(CharLmTrain.Defaults, "checkpoints (best/, last/), metrics.jsonl and loss.png");
        var cmd = new Command("train", "Train a character-level language model (truncated BPTT over parallel streams, AdamW, checkpoints, exact resume).")
        {
            data, cell, hidden, layers, dropout, embed, seq, batch,
        };
        common.AddTo(cmd);
        cmd.SetAction(p => CliErrors.Run(p, () =>
        {
            var o = new CharLmTrainOptions
            {
                Data = p.GetValue(data),
                Cell = p.GetValue(cell),
                HiddenSize = p.GetValue(hidden),
                Layers = p.GetValue(layers),
                Dropout = p.GetValue(dropout),
                EmbeddingSize = p.GetValue(embed),
                SeqLength = p.GetValue(seq),
                BatchSize = p.GetValue(batch),
                Training = common.Bind(p),
            };
            return TrainingRun.ExitCode(Interrupts.Handle(token => CharLmTrain.Run(o, Console.Out, token)));
        }));
        return cmd;
    }

    private static Command CreateSample()
    {
        var model = new Option<string>("--model") { Description = "Run folder (its best checkpoint) or checkpoint folder.", Required = true };
        var prompt = new Option<string?>("--prompt") { Description = "Text to start from [a newline]." };
        var length = new Option<int>("--length") { Description = "Characters to generate.", DefaultValueFactory = _ => 500 };
        var temperature = new Option<double>("--temperature") { Description = "Sampling temperature (lower is more conservative).", DefaultValueFactory = _ => 0.8 };
        var topK = new Option<int>("--top-k") { Description = "Draw only from the K most likely characters (0: all).", DefaultValueFactory = _ => 0 };
        var seed = new Option<ulong>("--seed") { Description = "Sampling seed.", DefaultValueFactory = _ => 1UL };
        var cmd = new Command("sample", "Generate text from a trained model, streaming characters as they are drawn.") { model, prompt, length, temperature, topK, seed };
        cmd.SetAction(p => CliErrors.Run(p, () => CharLmSample.Run(new CharLmSampleOptions(p.GetValue(model)!, p.GetValue(prompt), p.GetValue(length),
            p.GetValue(temperature), p.GetValue(topK), p.GetValue(seed)), CliOutput.Standard())));
        return cmd;
    }

    private static Command CreateEval()
    {
        var model = new Option<string>("--model") { Description = "Run folder (its best checkpoint) or checkpoint folder.", Required = true };
        var data = new Option<string>("--data") { Description = "Text file to measure the loss on (all of it).", Required = true };
        var cmd = new Command("eval", "Print a model's loss on a text in nats and bits per character.") { model, data };
        cmd.SetAction(p => CliErrors.Run(p, () => CharLmEval.Run(new CharLmEvalOptions(p.GetValue(model)!, p.GetValue(data)!), Console.Out)));
        return cmd;
    }

    private static Command CreateCompare()
    {
        var runs = new Argument<string[]>("runs") { Description = "Run folders or metrics.jsonl files (also bench/charlm_torch.py's), each optionally RUN=LABEL.", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--out") { Description = "The PNG to write.", DefaultValueFactory = _ => "compare.png" };
        var byStep = new Option<bool>("--by-step") { Description = "Plot against the step instead of the minutes of training." };
        var target = new Option<double?>("--target") { Description = "Also report when each run first reached this validation loss (nats per character)." };
        var cmd = new Command("compare", "Plot the validation curves of several runs in one PNG and print what each reached.") { runs, output, byStep, target };
        cmd.SetAction(p => CliErrors.Run(p, () => CharLmCompare.Run(new CharLmCompareOptions(p.GetValue(runs)!, p.GetValue(output)!, p.GetValue(byStep), p.GetValue(target)), Console.Out)));
        return cmd;
    }
}
