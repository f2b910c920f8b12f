using System.Numerics.Tensors;
using Recur.Autograd;
using Recur.Kernels;
using Recur.NN;

namespace Recur.Training;

/// <summary>
/// An exponential moving average of a model's weights (Polyak averaging, as TensorFlow's ExponentialMovingAverage
/// with num_updates): after update t, avg = d_t avg + (1 - d_t) w with d_t = min(decay, (1 + t) / (10 + t)), so the
/// first updates follow the weights closely. A trainer with <see cref="TrainerOptions.AverageDecay"/> evaluates and
/// checkpoints the averaged weights (so <c>model.safetensors</c> holds what was evaluated) and keeps the raw weights
/// in the checkpoint's state to resume from.
/// </summary>
public sealed class WeightAverage : ICheckpointable
{
    private readonly Parameter[] _parameters;
    private readonly float[][] _average;
    private long _updates;
    private bool _applied;

    /// <summary>Averages <paramref name="model"/>'s parameters with <paramref name="decay"/> in (0, 1).</summary>
    public WeightAverage(Module model, double decay)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!(decay > 0 && decay < 1)) throw new ArgumentOutOfRangeException(nameof(decay), $"The averaging decay must be in (0, 1), got {decay}.");
        Decay = decay;
        _parameters = model.Parameters().ToArray();
        _average = _parameters.Select(p => p.Value.ToArray()).ToArray();
    }

    /// <summary>The decay d.</summary>
    public double Decay { get; }

    /// <summary>Folds the current weights into the average (after an optimizer step).</summary>
    public void Update()
    {
        if (_applied) throw new InvalidOperationException("The averaged weights are applied: restore the model's own before updating the average.");
        _updates++;
        float keep = (float)Math.Min(Decay, (1.0 + _updates) / (10.0 + _updates));
        for (int i = 0; i < _parameters.Length; i++)
        {
            var value = _parameters[i].Value;
            var average = _average[i];
            // Large tensors (an embedding) are split between the kernel threads; each element's result is the same.
            int parts = KernelThreading.PartsFor(average.Length, MinElementsPerPart);
            if (parts <= 1)
            {
                TensorPrimitives.Lerp(average, value.Span, 1 - keep, average);
                continue;
            }
            KernelThreading.For(parts, parts, (storage: value.Storage, offset: value.Offset, average, parts, keep), static (s, part) =>
            {
                var (start, length) = KernelThreading.Chunk(s.average.Length, s.parts, part);
                if (length <= 0) return;
                var a = s.average.AsSpan(start, length);
                TensorPrimitives.Lerp(a, s.storage.AsSpan(s.offset + start, length), 1 - s.keep, a);
            });
        }
    }

    // Elements per part below which one thread is faster than two.
    private const int MinElementsPerPart = 1 << 16;

    /// <summary>Puts the averaged weights into the model until the returned scope ends, when the model's own come back.</summary>
    public IDisposable Apply()
    {
        if (_applied) throw new InvalidOperationException("The averaged weights are applied already.");
        Swap();
        _applied = true;
        return new Scope(this);
    }

    private void Swap()
    {
        for (int i = 0; i < _parameters.Length; i++)
        {
            var weights = _parameters[i].Value.Span;
            var average = _average[i].AsSpan();
            for (int j = 0; j < weights.Length; j++) (weights[j], average[j]) = (average[j], weights[j]);
            _parameters[i].MarkChanged();
        }
    }

    private sealed class Scope(WeightAverage owner) : IDisposable
    {
        private bool _done;

        public void Dispose()
        {
            if (_done) return;
            _done = true;
            owner.Swap();
            owner._applied = false;
        }
    }

    /// <summary>Saves the update count and the model's raw weights (called while the average is applied, so the model holds the average).</summary>
    public void SaveState(CheckpointState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        state.Json["updates"] = _updates;
        for (int i = 0; i < _parameters.Length; i++)
        {
            var raw = _applied ? (float[])_average[i].Clone() : _parameters[i].Value.ToArray();
            state.Tensors[i.ToString(System.Globalization.CultureInfo.InvariantCulture)] = Tensor.FromArray(raw, _parameters[i].Value.ShapeArray);
        }
    }

    /// <summary>
    /// Restores: the model holds the checkpoint's (averaged) weights, which become the average, and the raw weights of
    /// the state go back into the model.
    /// </summary>
    public void LoadState(CheckpointState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        _updates = state.GetInt64("updates");
        for (int i = 0; i < _parameters.Length; i++)
        {
            if (!state.Tensors.TryGetValue(i.ToString(System.Globalization.CultureInfo.InvariantCulture), out var raw) || !raw.SameShape(_parameters[i].Value))
                throw new InvalidDataException($"the saved raw weights do not fit parameter {i} of the model.");
            _parameters[i].Value.Span.CopyTo(_average[i]);
            raw.Span.CopyTo(_parameters[i].Value.Span);
            _parameters[i].MarkChanged();
        }
        _applied = false;
    }
}
