using System.CommandLine;
using Recur.Cli;
using Recur.Cli.Bench;
using Recur.Cli.CharLm;
using Recur.Cli.Demo;
using Recur.Cli.Experiments;

var root = new RootCommand("Recur: recurrent neural networks in pure C#.");
root.Options.Add(CliErrors.VerboseOption);
root.Subcommands.Add(BenchCommand.Create());
root.Subcommands.Add(DemoCommand.Create());
root.Subcommands.Add(CharLmCommand.Create());
root.Subcommands.Add(ExperimentCommand.Create());
root.SetAction(parse =>
{
    Console.WriteLine("Recur: recurrent neural networks in pure C#. Try `recur demo`, or `recur --help` for every command.");
    return 0;
});
return root.Parse(args).Invoke();
