using Recur.Autograd;
using Recur.NN;
using Recur.Optim;

namespace Recur.Tests;

/// <summary>The README's code examples, kept compiling and working.</summary>
public class ReadmeExampleTests
{
    [Fact]
    public void LinearClassifierExampleLearns()
    {
        var rng = new RandomGenerator(seed: 1);
        var fc = new Linear(4, 3, rng: rng);
        var opt = new AdamW(fc.NamedParameters(), learningRate: 1e-2);
        var x = new Variable(rng.Normal(0, 1, 8, 4));
        int[] y = [0, 1, 2, 0, 1, 2, 0, 1];
        float first = 0, last = 0;
        for (int step = 0; step < 100; step++)
        {
            opt.ZeroGrad();
            var loss = CrossEntropyLoss.Compute(fc.Forward(x), y);
            loss.Backward();
            opt.Step();
            if (step == 0) first = loss.Value.ToScalar();
            last = loss.Value.ToScalar();
        }
        Assert.True(last < first * 0.8f, $"loss {first} -> {last}");
    }

    [Fact]
    public void LstmExampleShapesAndFile()
    {
        var rng = new RandomGenerator(seed: 1);
        var lstm = new Lstm(inputSize: 8, hiddenSize: 16, numLayers: 2, bidirectional: true, rng: rng);
        var input = new Variable(rng.Normal(0, 1, 20, 4, 8));
        var (output, hN, cN) = lstm.Forward(input, lengths: [20, 17, 9, 3]);
        Assert.True(output.Value.HasShape(20, 4, 32));
        Assert.True(hN.Value.HasShape(4, 4, 16));
        Assert.True(cN!.Value.HasShape(4, 4, 16));
        Assert.All(output.Value[5][3].ToArray(), v => Assert.Equal(0f, v)); // step 5 is past length 3
        string dir = Directory.CreateTempSubdirectory("recur-readme-").FullName;
        try
        {
            string path = Path.Combine(dir, "lstm.safetensors");
            StateDictFile.Save(lstm, path);
            Assert.Contains("bias_hh_l1_reverse", Recur.IO.SafetensorsFile.Read(path).Tensors.Keys);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
