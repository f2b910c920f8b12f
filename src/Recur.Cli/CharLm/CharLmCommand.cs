using System.CommandLine;
using System.Runtime.InteropServices;

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

    /// <summary>
    /// Runs <paramref name="body"/> with Ctrl+C (SIGINT) and SIGTERM turned into a cancellation, so that training saves
    /// a checkpoint and returns; a second Ctrl+C ends the process at once.
    /// </summary>
    public static T WithCtrlC<T>(Func<CancellationToken, T> body)
    {
        using var cts = new CancellationTokenSource();
        void Interrupt() => cts.Cancel(); // the trainer says so on its own output, where the progress display is
        ConsoleCancelEventHandler handler = (_, e) =>
        {
            if (cts.IsCancellationRequested) return;
            e.Cancel = true;
            Interrupt();
        };
        Console.CancelKeyPress += handler;
        using var term = TryRegister(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            if (!cts.IsCancellationRequested) Interrupt();
        });
        try
        {
            return body(cts.Token);
        }
        finally
        {
            Console.CancelKeyPress -= handler;
        }
    }

    private static PosixSignalRegistration? TryRegister(PosixSignal signal, Action<PosixSignalContext> handler)
    {
        try
        {
            return PosixSignalRegistration.Create(signal, handler);
        }
        catch (PlatformNotSupportedException)
        {
            return null;
        }
    }

    private static Command CreateTrain()
    {
        var data = new Option<string?>("--data") { Description = "Text file to train on (UTF-8); the last 10% is the validation split." };
        var output = new Option<string?>("--out") { Description = "Folder for checkpoints (best/, last/), metrics.jsonl and loss.png." };
        var resume = new Option<string?>("--resume") { Description = "Continue the run in this folder from its last checkpoint." };
        var cell = new Option<string?>("--cell") { Description = "Recurrent cell: lstm, gru or rnn [lstm]." };
        var hidden = new Option<int?>("--hidden-size") { Description = "Hidden units per layer [256]." };
        var layers = new Option<int?>("--layers") { Description = "Stacked recurrent layers [2]." };
        var dropout = new Option<double?>("--dropout") { Description = "Dropout between layers and before the output [0.1]." };
        var embed = new Option<int?>("--embedding-size") { Description = "Character embedding size [64]." };
        var seq = new Option<int?>("--seq-length") { Description = "Characters per stream per step (BPTT length) [64]." };
        var batch = new Option<int?>("--batch-size") { Description = "Parallel streams per step [32]." };
        var lr = new Option<double?>("--lr") { Description = "Peak AdamW learning rate [0.002]." };
        var schedule = new Option<string?>("--schedule") { Description = "Learning-rate decay: cosine or step [cosine]." };
        var warmup = new Option<int?>("--warmup") { Description = "Steps of linear warm-up [100]." };
        var decaySteps = new Option<int?>("--decay-steps") { Description = "Step at which the cosine reaches 10% of the peak [--max-steps]." };
        var decayEvery = new Option<int?>("--decay-every") { Description = "Steps between decays of the step schedule [1000]." };
        var decayFactor = new Option<double?>("--decay-factor") { Description = "Factor of each step decay [0.5]." };
        var wd = new Option<double?>("--weight-decay") { Description = "AdamW weight decay [0.01]." };
        var clip = new Option<double?>("--grad-clip") { Description = "Maximum gradient norm, 0 for none [1]." };
        var seed = new Option<ulong?>("--seed") { Description = "Seed of initialization and dropout [1]." };
        var maxSteps = new Option<long?>("--max-steps") { Description = $"Stop after this many steps in all [{CharLmTrainOptions.DefaultMaxSteps}; when resuming, the run's --decay-steps]." };
        var maxTime = new Option<string?>("--max-time") { Description = "Stop after this long, e.g. 90s, 30m, 1h [none]." };
        var evalEvery = new Option<int?>("--eval-every") { Description = $"Steps between evaluations and checkpoints [{CharLmTrainOptions.DefaultEvalEvery}]." };
        var patience = new Option<int?>("--patience") { Description = "Stop after this many evaluations without a better validation loss, 0 for never [0]." };
        var threads = new Option<int?>("--threads") { Description = "Most threads a kernel may use [all cores]." };
        var cmd = new Command("train", "Train a character-level language model (truncated BPTT over parallel streams, AdamW, checkpoints, exact resume).")
        {
            data, output, resume, cell, hidden, layers, dropout, embed, seq, batch, lr, schedule, warmup, decaySteps, decayEvery, decayFactor,
            wd, clip, seed, maxSteps, maxTime, evalEvery, patience, threads,
        };
        cmd.SetAction(p => CliErrors.Run(p, () =>
        {
            var o = new CharLmTrainOptions(p.GetValue(data), p.GetValue(output), p.GetValue(resume), p.GetValue(cell), p.GetValue(hidden),
                p.GetValue(layers), p.GetValue(dropout), p.GetValue(embed), p.GetValue(seq), p.GetValue(batch), p.GetValue(lr), p.GetValue(schedule),
                p.GetValue(warmup), p.GetValue(decaySteps), p.GetValue(decayEvery), p.GetValue(decayFactor), p.GetValue(wd), p.GetValue(clip),
                p.GetValue(seed), p.GetValue(maxSteps), p.GetValue(maxTime), p.GetValue(evalEvery), p.GetValue(patience), p.GetValue(threads));
            WithCtrlC(token => CharLmTrain.Run(o, Console.Out, token));
            return 0;
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
            p.GetValue(temperature), p.GetValue(topK), p.GetValue(seed)), Console.Out)));
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
