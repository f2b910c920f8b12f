using System.CommandLine;
using System.CommandLine.Help;
using Recur.Cli;
using Recur.Cli.Bench;
using Recur.Cli.CharLm;
using Recur.Cli.Classify;
using Recur.Cli.Demo;
using Recur.Cli.Experiments;

// A plain command named "recur" rather than RootCommand, whose name is the executable's (Recur.Cli under dotnet run).
var root = new Command("recur", "Recur: recurrent neural networks in pure C#.");
root.Options.Add(new HelpOption());
root.Options.Add(new VersionOption());
root.Options.Add(CliErrors.VerboseOption);
root.Subcommands.Add(BenchCommand.Create());
root.Subcommands.Add(DemoCommand.Create());
root.Subcommands.Add(CharLmCommand.Create());
root.Subcommands.Add(ClassifyCommand.Create());
root.Subcommands.Add(ExperimentCommand.Create());
root.SetAction(parse =>
{
    Console.WriteLine("Recur: recurrent neural networks in pure C#. Try `recur demo`, or `recur --help` for every command.");
    return 0;
});
var result = root.Parse(args);
if (result.Errors.Count > 0)
{
    // One line naming every problem (all the missing options at once), then where to look; exit code 2 as for other user errors.
    Console.Error.WriteLine($"error: {string.Join("; ", result.Errors.Select(e => ParseErrors.Friendly(e.Message)))} (see {ParseErrors.CommandPath(result)} --help)");
    return CliErrors.UserError;
}
return result.Invoke();
