using Recur.Cli.CharLm;
using Recur.Cli.Common;
using Recur.Training;

namespace Recur.Tests.CharLm;

/// <summary>Tiny runs of <c>recur charlm</c> for tests: a 20,000-character slice of tiny-shakespeare, hidden 32, seq 16.</summary>
internal sealed class CharLmTestKit : IDisposable
{
    public CharLmTestKit()
    {
        Root = Directory.CreateTempSubdirectory("recur-charlm-").FullName;
        DataPath = Path.Combine(Root, "small.txt");
        File.WriteAllText(DataPath, SmallText);
    }

    public string Root { get; }

    public string DataPath { get; }

    public static string SmallText { get; } = File.ReadAllText(Recur.Cli.Demo.DemoCommand.BundledData)[..20_000];

    public string Dir(string name) => Path.Combine(Root, name);

    public CharLmTrainOptions Tiny(string outDir, long maxSteps = 20, int evalEvery = 10, string cell = "lstm", int? decaySteps = null) => new()
    {
        Data = DataPath,
        Cell = cell,
        HiddenSize = 32,
        Layers = 2,
        Dropout = 0.1,
        EmbeddingSize = 16,
        SeqLength = 16,
        BatchSize = 8,
        Training = new CommonTrainOptions
        {
            Out = outDir, LearningRate = 1e-2, Warmup = 5, DecaySteps = decaySteps, MaxSteps = maxSteps, EvalEvery = evalEvery, Seed = 7,
        },
    };

    /// <summary>Options that only resume <paramref name="run"/> (with the given changes to the shared options).</summary>
    public static CharLmTrainOptions Resume(string run, long? maxSteps = null, int? evalEvery = null) =>
        new() { Training = new CommonTrainOptions { Resume = run, MaxSteps = maxSteps, EvalEvery = evalEvery } };

    public static TrainResult Train(CharLmTrainOptions o, CancellationToken cancel = default) => CharLmTrain.Run(o, new StringWriter(), cancel);

    public static string Sample(string model, string? prompt = "ROMEO:", int length = 60, ulong seed = 3)
    {
        var w = new StringWriter();
        CharLmSample.Run(new CharLmSampleOptions(model, prompt, length, 0.9, 0, seed), w);
        return w.ToString();
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
