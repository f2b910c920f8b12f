// B batch, T time, I input, H hidden, P projection, G gates (LSTM 4H i,f,g,o; GRU 3H r,z,n), L layers, D directions
using Recur.Autograd;
using Recur.NN;
using Recur.Optim;

namespace Recur.Tests.Recurrent;

/// <summary>A recurrent node composes with Embedding, Linear and a loss on the tape, and learns.</summary>
public class RecurrentTrainingTests
{
    private sealed class Tagger : Module
    {
        public Tagger(RandomGenerator rng)
        {
            Embedding = RegisterModule("embedding", new Embedding(6, 5, rng: rng));
            Rnn = RegisterModule("rnn", new Lstm(5, 8, numLayers: 2, bidirectional: true, batchFirst: true, projSize: 4, rng: rng));
            Head = RegisterModule("head", new Linear(8, 3, rng: rng));
        }

        public Embedding Embedding { get; }
        public Lstm Rnn { get; }
        public Linear Head { get; }
    }

    [Fact]
    public void EmbeddingLstmLinearOverfitsOnePackedBatch()
    {
        const int batch = 3, steps = 5;
        var model = new Tagger(new RandomGenerator(1));
        Assert.Contains("rnn.weight_hr_l1_reverse", model.NamedParameters().Select(p => p.Key));
        int[] tokens = [1, 2, 3, 4, 5, 2, 2, 1, 0, 0, 5, 4, 3, 0, 0];
        int[] lengths = [5, 3, 3];
        int[] tags = [0, 1, 2, 1, 0, 2, 2, 0, -100, -100, 1, 1, 0, -100, -100]; // -100: padding, ignored
        var opt = new Adam(model.NamedParameters(), learningRate: 0.05);
        float first = 0, last = 0;
        for (int step = 0; step < 60; step++)
        {
            opt.ZeroGrad();
            var x = model.Embedding.Forward(tokens, batch, steps);            // [B, T, 5]
            var (y, _, _) = model.Rnn.Forward(x, lengths: lengths);           // [B, T, 8]
            var logits = model.Head.Forward(Ops.Reshape(y, batch * steps, 8)); // [B*T, 3]
            var loss = CrossEntropyLoss.Compute(logits, tags);
            loss.Backward();
            opt.Step();
            if (step == 0) first = loss.Value.ToScalar();
            last = loss.Value.ToScalar();
        }
        Assert.True(last < 0.05f * first, $"loss went from {first} to {last}");
        // Padded tokens never reach the embedding's gradient through the packed layer.
        Assert.All(model.Embedding.Weight.Grad![0].ToArray(), g => Assert.Equal(0f, g));
    }
}
