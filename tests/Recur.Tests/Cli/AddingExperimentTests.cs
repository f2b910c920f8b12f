using Recur.Cli.Experiments;

namespace Recur.Tests.Cli;

public class AddingExperimentTests
{
    [Fact]
    public void LstmSolvesTheAddingProblem()
    {
        // T = 30 keeps the test inside the suite budget; `recur experiment adding` runs the longer lengths.
        var o = new AddingOptions("lstm", Length: 30, HiddenSize: 32, BatchSize: 64, LearningRate: 0.01, MaxSteps: 1500,
            EvalEvery: 50, TargetMse: 0.01, Seed: 1);
        var result = new AddingExperiment(o).Run();
        Assert.True(result.StepsToTarget is not null, $"LSTM did not reach MSE < 0.01 on T=30: final {result.FinalMse:F4}, best {result.BestMse:F4} after {result.Steps} steps");
        Assert.True(result.FinalMse < 0.01);
    }

    [Fact]
    public void CommandReportsProgressAndRejectsBadCells()
    {
        var output = new StringWriter();
        ExperimentCommand.RunAdding(new AddingOptions("gru", 6, 8, 16, 0.01, 20, 10, 1e-9, 3), output);
        Assert.Contains("step     20", output.ToString());
        Assert.Contains("Did not reach", output.ToString());

        var (code, _, err) = CliProcess.Run("experiment", "adding", "--cell", "transformer");
        Assert.Equal(2, code);
        Assert.Contains("--cell must be lstm, gru or rnn", err);
    }
}
