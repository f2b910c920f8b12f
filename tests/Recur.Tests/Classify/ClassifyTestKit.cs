using System.Globalization;
using System.Text;
using Recur.Cli.Classify;
using Recur.Cli.Common;
using Recur.Training;

namespace Recur.Tests.Classify;

/// <summary>Small generated data sets for <c>recur classify</c>: sentences whose words give the class away, and noisy waves.</summary>
internal sealed class ClassifyTestKit : IDisposable
{
    private static readonly string[] Good = ["good", "great", "fine", "lovely", "superb", "fun"];
    private static readonly string[] Bad = ["bad", "awful", "dull", "boring", "poor", "weak"];
    private static readonly string[] Filler = ["the", "film", "was", "a", "plot", "and", "it", "very", "story", "of"];

    public ClassifyTestKit()
    {
        Root = Directory.CreateTempSubdirectory("recur-classify-").FullName;
    }

    public string Root { get; }

    public string Dir(string name) => Path.Combine(Root, name);

    /// <summary>A label-text file of <paramref name="n"/> sentences of 3 to 9 words, "1" when the sentiment word is good.</summary>
    public string Sentences(string name, int n, ulong seed)
    {
        var rng = new RandomGenerator(seed);
        var sb = new StringBuilder();
        for (int i = 0; i < n; i++)
        {
            bool positive = rng.NextDouble() < 0.5;
            int length = 3 + rng.NextInt(7);
            var words = Enumerable.Range(0, length).Select(_ => Filler[rng.NextInt(Filler.Length)]).ToList();
            words.Insert(rng.NextInt(words.Count + 1), positive ? Good[rng.NextInt(Good.Length)] : Bad[rng.NextInt(Bad.Length)]);
            sb.Append(positive ? '1' : '0').Append(' ').AppendJoin(' ', words).Append('\n');
        }
        string path = Dir(name);
        File.WriteAllText(path, sb.ToString());
        return path;
    }

    /// <summary>A UCR file of <paramref name="n"/> noisy series of 24 steps: class 1 a slow wave, class 2 a fast one.</summary>
    public string Waves(string name, int n, ulong seed)
    {
        var rng = new RandomGenerator(seed);
        var sb = new StringBuilder();
        for (int i = 0; i < n; i++)
        {
            int label = 1 + (i % 2);
            double phase = rng.NextDouble() * 6.28;
            sb.Append(label.ToString(CultureInfo.InvariantCulture) + ".0000000e+00");
            for (int t = 0; t < 24; t++)
                sb.Append("  ").Append((Math.Sin((label == 1 ? 0.3 : 1.2) * t + phase) + (0.3 * rng.NextNormal())).ToString("E7", CultureInfo.InvariantCulture));
            sb.Append('\n');
        }
        string path = Dir(name);
        File.WriteAllText(path, sb.ToString().TrimEnd('\n')); // as UCR files: no final newline
        return path;
    }

    public static ClassifyTrainOptions Tiny(string train, string? dev, string outDir, long epochs = 6) => new()
    {
        Train = train,
        Dev = dev,
        EmbeddingSize = 16,
        HiddenSize = 16,
        BatchSize = 8,
        InputDropout = 0.1, // lighter regularization than the SST-2 defaults, for models this small trained this briefly
        CharEmbeddingSize = 0, // words only (one test turns character features on); no effect on series
        Training = new CommonTrainOptions { Out = outDir, MaxEpochs = epochs, LearningRate = 1e-2, Warmup = 5, Seed = 3, WeightDecay = 0.01, WeightAverage = 0 },
    };

    public static TrainResult Train(ClassifyTrainOptions o, CancellationToken cancel = default) => ClassifyTrain.Run(o, new StringWriter(), cancel);

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
