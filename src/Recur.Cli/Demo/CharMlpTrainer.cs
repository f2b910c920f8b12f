using System.Text;
using Recur.Autograd;
using Recur.NN;
using Recur.Optim;

namespace Recur.Cli.Demo;

/// <summary>Minibatch training of <see cref="CharMlp"/> with AdamW, warm-up then cosine decay, and gradient clipping.</summary>
public sealed class CharMlpTrainer
{
    private const int WarmupSteps = 100;
    private const int ValidationPositions = 8192;
    private readonly CharMlp _model;
    private readonly CharCorpus _corpus;
    private readonly int _batch;
    private readonly double _lr;
    private readonly int _steps;
    private readonly RandomGenerator _rng;
    private readonly AdamW _optimizer;
    private readonly int[] _contexts;
    private readonly int[] _targets;

    /// <summary>Prepares training for <paramref name="steps"/> steps.</summary>
    public CharMlpTrainer(CharMlp model, CharCorpus corpus, int batch, double lr, int steps, RandomGenerator rng)
    {
        _model = model;
        _corpus = corpus;
        _batch = batch;
        _lr = lr;
        _steps = steps;
        _rng = rng;
        _optimizer = new AdamW(model.NamedParameters(), learningRate: lr, weightDecay: 0.01);
        _contexts = new int[batch * corpus.Context];
        _targets = new int[batch];
    }

    /// <summary>One optimization step on a random batch of the training split; returns the batch loss.</summary>
    public double Step(int step)
    {
        int c = _corpus.Context;
        for (int b = 0; b < _batch; b++)
        {
            int p = c + _rng.NextInt(_corpus.TrainEnd - c);
            Array.Copy(_corpus.Ids, p - c, _contexts, b * c, c);
            _targets[b] = _corpus.Ids[p];
        }
        _optimizer.LearningRate = LearningRateAt(step);
        _model.Train();
        _optimizer.ZeroGrad();
        var loss = CrossEntropyLoss.Compute(_model.Forward(_contexts, _batch), _targets);
        loss.Backward();
        GradClip.ClipGradNorm(_model.Parameters(), 1.0);
        _optimizer.Step();
        return loss.Value.ToScalar();
    }

    /// <summary>Linear warm-up over the first steps, then cosine decay to 10% of the peak.</summary>
    public double LearningRateAt(int step)
    {
        if (step <= WarmupSteps) return _lr * step / WarmupSteps;
        double progress = (double)(step - WarmupSteps) / Math.Max(1, _steps - WarmupSteps);
        return _lr * (0.1 + 0.9 * 0.5 * (1 + Math.Cos(Math.PI * Math.Min(1, progress))));
    }

    /// <summary>Mean cross-entropy (nats per character) over evenly spaced positions of the validation split.</summary>
    public double ValidationLoss()
    {
        int c = _corpus.Context;
        int first = _corpus.TrainEnd + c;
        int available = _corpus.Length - first;
        int count = Math.Min(ValidationPositions, available);
        const int chunk = 1024;
        double total = 0;
        _model.Eval();
        using var _ = GradMode.NoGrad();
        for (int start = 0; start < count; start += chunk)
        {
            int n = Math.Min(chunk, count - start);
            var contexts = new int[n * c];
            var targets = new int[n];
            for (int i = 0; i < n; i++)
            {
                int p = first + (int)((long)(start + i) * available / count);
                Array.Copy(_corpus.Ids, p - c, contexts, i * c, c);
                targets[i] = _corpus.Ids[p];
            }
            var loss = CrossEntropyLoss.Compute(_model.Forward(contexts, n), targets, reduction: Reduction.Sum);
            total += loss.Value.ToScalar();
        }
        return total / count;
    }

    /// <summary>Generates text, starting from the first characters of the validation split.</summary>
    public string Sample(int length, double temperature, RandomGenerator rng)
    {
        int c = _corpus.Context;
        var context = _corpus.Ids.AsSpan(_corpus.TrainEnd, c).ToArray();
        var sb = new StringBuilder();
        foreach (int id in context) sb.Append(_corpus.Vocabulary[id]);
        _model.Eval();
        using var _ = GradMode.NoGrad();
        var probabilities = new double[_corpus.Vocabulary.Length];
        for (int i = 0; i < length; i++)
        {
            var logits = _model.Forward(context, 1).Value.Span;
            double max = double.NegativeInfinity;
            foreach (float l in logits) max = Math.Max(max, l / temperature);
            double sum = 0;
            for (int v = 0; v < probabilities.Length; v++) sum += probabilities[v] = Math.Exp(logits[v] / temperature - max);
            double u = rng.NextDouble() * sum;
            int next = probabilities.Length - 1;
            for (int v = 0; v < probabilities.Length; v++)
            {
                u -= probabilities[v];
                if (u < 0) { next = v; break; }
            }
            sb.Append(_corpus.Vocabulary[next]);
            Array.Copy(context, 1, context, 0, c - 1);
            context[c - 1] = next;
        }
        return sb.ToString();
    }
}
