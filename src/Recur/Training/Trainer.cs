using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Recur.Autograd;
using Recur.NN;
using Recur.Optim;

namespace Recur.Training;

/// <summary>
/// A training loop for any model, as Keras' <c>fit</c>: the caller gives a model, an optimizer, a batch source, a step
/// (batch -&gt; loss) and an evaluation (-&gt; named metrics); the trainer owns everything else: the limits (steps,
/// epochs, time), the learning-rate schedule, gradient clipping, evaluation every N steps or every epoch, early
/// stopping on any metric, divergence detection, <c>best/</c> and <c>last/</c> checkpoints, <c>metrics.jsonl</c>,
/// cancellation that saves a checkpoint, and exact resume: a run resumed from its last checkpoint (model, optimizer,
/// schedule, data order, every tracked generator and component) computes what the uninterrupted run computes, bit
/// for bit.
/// </summary>
public sealed partial class Trainer
{
    private const string DataName = "data";
    private readonly Module _model;
    private readonly Optimizer _optimizer;
    private readonly TrainerOptions _options;
    private readonly List<KeyValuePair<string, ICheckpointable>> _tracked = [];
    private readonly List<KeyValuePair<string, RandomGenerator>> _generators = [];
    private TrainerState _state = new();
    private List<Metrics> _records = [];
    private Checkpoint? _resumed;
    private ITrainingObserver _observer = new NoObserver();
    private readonly WeightAverage? _average;

    /// <summary>Prepares a run of <paramref name="model"/> with <paramref name="optimizer"/> (over the model's parameters).</summary>
    /// <exception cref="ArgumentException">The options are out of range.</exception>
    public Trainer(Module model, Optimizer optimizer, TrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _model = model;
        _optimizer = optimizer;
        _options = options;
        if (options.Schedule is not null) optimizer.Schedule = options.Schedule;
        if (options.AverageDecay is double decay)
        {
            _average = new WeightAverage(model, decay);
            _tracked.Add(new("weight_average", _average));
        }
    }

    /// <summary>The options.</summary>
    public TrainerOptions Options => _options;

    /// <summary>Hears about every step, evaluation and notice (a progress display).</summary>
    public ITrainingObserver Observer
    {
        get => _observer;
        set => _observer = value ?? new NoObserver();
    }

    /// <summary>The task's configuration, written into every checkpoint as <c>config.json</c>.</summary>
    public JsonNode? CheckpointConfig { get; set; }

    /// <summary>The task's own files (name to text), written into every checkpoint.</summary>
    public Dictionary<string, string> CheckpointFiles { get; } = new(StringComparer.Ordinal);

    /// <summary>Steps taken in all.</summary>
    public long Step => _state.Step;

    /// <summary>Every evaluation record of the run so far (resumed runs: from <c>metrics.jsonl</c> too).</summary>
    public IReadOnlyList<Metrics> History => _records;

    /// <summary>Saves <paramref name="component"/>'s state in every checkpoint under <paramref name="name"/> and restores it on <see cref="Resume"/>.</summary>
    public void Track(string name, ICheckpointable component)
    {
        CheckTrackName(name);
        ArgumentNullException.ThrowIfNull(component);
        _tracked.Add(new(name, component));
        if (_resumed is not null) Restore(name, component, _resumed);
    }

    /// <summary>Saves <paramref name="generator"/>'s state (dropout masks, shuffles) in every checkpoint and restores it on <see cref="Resume"/>.</summary>
    public void Track(string name, RandomGenerator generator)
    {
        CheckTrackName(name);
        ArgumentNullException.ThrowIfNull(generator);
        _generators.Add(new(name, generator));
        if (_resumed is not null) RestoreGenerator(name, generator, _resumed.ReadTrainerState());
    }

    /// <summary>
    /// Continues from <paramref name="checkpoint"/>: loads the model's weights, the optimizer, the trainer's counters,
    /// the tracked generators and components (those tracked later, and the batch source given to
    /// <see cref="Fit{TBatch}"/>, when they are), and cuts <c>metrics.jsonl</c> back to the checkpoint's step.
    /// </summary>
    /// <exception cref="InvalidDataException">The checkpoint cannot be resumed from, or does not fit.</exception>
    public void Resume(Checkpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        if (!checkpoint.CanResume) throw new InvalidDataException($"checkpoint '{checkpoint.Folder}' holds a model only (no optimizer or trainer state); a run cannot continue from it.");
        if (checkpoint.Task != _options.Task) throw new InvalidDataException($"'{checkpoint.Folder}' is a checkpoint of task '{checkpoint.Task}', not of '{_options.Task}'.");
        checkpoint.LoadModel(_model);
        checkpoint.LoadOptimizer(_optimizer);
        var json = checkpoint.ReadTrainerState();
        _state = TrainerState.FromJson(json["state"] as JsonObject ?? throw new InvalidDataException($"checkpoint '{checkpoint.Folder}': {Checkpoint.TrainerFile} has no \"state\"."));
        if (_optimizer.StepCount != _state.Step)
            throw new InvalidDataException($"checkpoint '{checkpoint.Folder}': the optimizer took {_optimizer.StepCount} steps but the trainer {_state.Step}; the files do not belong together.");
        _resumed = checkpoint;
        foreach (var (name, generator) in _generators) RestoreGenerator(name, generator, json);
        foreach (var (name, component) in _tracked) Restore(name, component, checkpoint);
        if (_options.RunFolder is string dir) _records = MetricsLog.TruncateAfter(Path.Combine(dir, RunFolder.MetricsName), _state.Step);
    }

    /// <summary>
    /// Trains until a limit is reached, the monitored metric stops improving, the loss diverges or
    /// <paramref name="cancel"/> fires; then saves the last checkpoint (not after a divergence, which keeps the last
    /// good one). Each step: the model goes to training mode, gradients are zeroed, <paramref name="step"/> computes
    /// the loss of the next batch, the loss is backpropagated, gradients are clipped and the optimizer steps (its
    /// schedule setting the rate). <paramref name="evaluate"/> runs with the model in evaluation mode and no tape.
    /// </summary>
    /// <exception cref="InvalidOperationException">The evaluation lacks the monitored metric.</exception>
    public TrainResult Fit<TBatch>(IBatchSource<TBatch> data, Func<TBatch, Variable> step, Func<Metrics>? evaluate = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(step);
        if (_resumed is not null) Restore(DataName, data, _resumed);
        if (_options.RunFolder is string dir)
        {
            Directory.CreateDirectory(dir);
            RunFolder.CleanUp(dir);
        }
        var clock = Stopwatch.StartNew();
        double elapsedBefore = _state.ElapsedSeconds;
        long startStep = _state.Step, savedStep = -1;
        var speed = new Throughput();
        // When the optimizer holds every trainable parameter, its step leaves the gradients zeroed for the next one.
        var held = new HashSet<Parameter>(_optimizer.Parameters, ReferenceEqualityComparer.Instance);
        bool optimizerHoldsAll = _model.Parameters().Where(p => p.RequiresGrad).All(held.Contains), zeroedByStep = false;
        StopReason reason;
        string? message = null;
        while (true)
        {
            if (_options.MaxSteps is long maxSteps && _state.Step >= maxSteps) { reason = StopReason.MaxSteps; break; }
            if (_options.MaxEpochs is long maxEpochs && data.Epoch >= maxEpochs) { reason = StopReason.MaxEpochs; break; }
            if (cancel.IsCancellationRequested)
            {
                _observer.OnMessage($"Interrupted at step {_state.Step:N0}: saving a checkpoint (Ctrl+C again quits at once).");
                reason = StopReason.Interrupted;
                break;
            }
            if (_options.MaxTime is TimeSpan maxTime && clock.Elapsed >= maxTime) { reason = StopReason.MaxTime; break; }

            long before = Stopwatch.GetTimestamp(), epochBefore = data.Epoch;
            var batch = data.Next();
            _model.Train();
            if (!zeroedByStep) _optimizer.ZeroGrad();
            var loss = step(batch);
            double value = loss.Value.ToScalar();
            if (StepDivergence(value) is string why)
            {
                message = Diverged($"the training loss of step {_state.Step + 1:N0} is {Num(value)}{why}");
                reason = StopReason.Diverged;
                break;
            }
            TrainingStep.Apply(loss, _model, _optimizer, _options.GradClip, zeroGradients: optimizerHoldsAll);
            zeroedByStep = optimizerHoldsAll;
            _average?.Update();
            _state.Step++;
            _state.TrainLossSum += value;
            _state.TrainLossCount++;
            long items = data.CountItems(batch);
            double seconds = Stopwatch.GetElapsedTime(before).TotalSeconds;
            _state.ItemsSinceEval += items;
            _state.SecondsSinceEval += seconds;
            speed.Add(items, seconds);
            _observer.OnStep(Progress(data, clock.Elapsed, startStep, speed.PerSecond));

            bool due = _options.EvalEvery > 0 ? _state.Step % _options.EvalEvery == 0 : data.Epoch != epochBefore;
            if (!due) continue;
            var outcome = EvaluateAndSave(data, evaluate, elapsedBefore + clock.Elapsed.TotalSeconds);
            if (outcome is string diverged) { message = diverged; reason = StopReason.Diverged; break; }
            savedStep = _state.Step;
            _observer.OnStep(Progress(data, clock.Elapsed, startStep, speed.PerSecond));
            if (_options.Patience > 0 && _state.EvalsSinceBest >= _options.Patience) { reason = StopReason.EarlyStopping; break; }
            if (_options.Target is double target && _state.Best is double best && (_options.Mode == MonitorMode.Min ? best <= target : best >= target))
            {
                reason = StopReason.TargetReached;
                break;
            }
        }
        if (reason is not (StopReason.Interrupted or StopReason.Diverged) && _state.LastEvalStep != _state.Step && _state.Step > 0)
        {
            if (EvaluateAndSave(data, evaluate, elapsedBefore + clock.Elapsed.TotalSeconds) is string diverged) { message = diverged; reason = StopReason.Diverged; }
            else savedStep = _state.Step;
        }
        if (reason != StopReason.Diverged && savedStep != _state.Step)
        {
            _state.ElapsedSeconds = elapsedBefore + clock.Elapsed.TotalSeconds;
            using var averaged = _average?.Apply();
            Save(RunFolder.LastName, data);
        }
        if (message is not null) _observer.OnMessage(message);
        return new TrainResult(reason, _state.Step, data.Epoch, _records.Count > 0 ? _records[^1] : null, _state.Best, _state.BestStep, message, _options.Select);
    }

    // Evaluates, logs, checkpoints; returns a message instead when a loss metric has diverged (nothing is saved then).
    private string? EvaluateAndSave<TBatch>(IBatchSource<TBatch> data, Func<Metrics>? evaluate, double elapsed)
    {
        using var averaged = _average?.Apply(); // evaluated and saved: the averaged weights
        var measured = new Metrics();
        if (evaluate is not null)
        {
            bool wasTraining = _model.IsTraining;
            _model.Eval();
            using (GradMode.NoGrad()) measured = evaluate() ?? new Metrics();
            _model.Train(wasTraining);
        }
        double train = _state.TrainLossCount > 0 ? _state.TrainLossSum / _state.TrainLossCount : double.NaN;
        var record = new Metrics { ["step"] = _state.Step, ["epoch"] = data.Epoch, ["train_loss"] = train };
        foreach (var (name, value) in measured) record[name] = value;
        record["lr"] = _optimizer.LearningRate;
        record[$"{_options.ItemName}_per_s"] = Math.Round(_state.ItemsSinceEval / Math.Max(1e-9, _state.SecondsSinceEval), 1);
        record["elapsed_s"] = Math.Round(elapsed, 3);
        if (!record.TryGetValue(Monitor(evaluate is not null), out double monitored))
            throw new InvalidOperationException($"the evaluation gave no '{_options.Monitor}' to monitor; it gave: {string.Join(", ", record.Names)}.");
        foreach (var (name, value) in measured)
        {
            if (!name.EndsWith("loss", StringComparison.Ordinal)) continue;
            double lowest = _records.Select(r => r.GetValueOrNaN(name)).Where(double.IsFinite).DefaultIfEmpty(double.PositiveInfinity).Min();
            if (!double.IsFinite(value) || (double.IsFinite(lowest) && value > _options.DivergenceFactor * Math.Max(lowest, 1e-12)))
                return Diverged($"{name} at step {_state.Step:N0} is {Num(value)}{(double.IsFinite(lowest) ? $", more than {_options.DivergenceFactor:G}x its best {Num(lowest)}" : "")}");
        }
        double tie = double.NaN;
        if (_options.TieBreak is string tieName && !record.TryGetValue(tieName, out tie))
            throw new InvalidOperationException($"the evaluation gave no '{tieName}' to break ties with; it gave: {string.Join(", ", record.Names)}.");
        bool improved = double.IsFinite(monitored) && (_options.Select == CheckpointSelection.Last || _state.Best is not double best
            || Better(monitored, best, _options.Mode)
            || (monitored == best && double.IsFinite(tie) && (_state.BestTieBreak is not double bestTie || Better(tie, bestTie, _options.TieBreakMode))));
        if (improved)
        {
            _state.Best = monitored;
            _state.BestTieBreak = double.IsFinite(tie) ? tie : null;
            _state.BestStep = _state.Step;
            _state.EvalsSinceBest = 0;
        }
        else _state.EvalsSinceBest++;
        _state.TrainLossSum = 0;
        _state.TrainLossCount = 0;
        _state.ItemsSinceEval = 0;
        _state.SecondsSinceEval = 0;
        _state.ElapsedSeconds = elapsed;
        _state.LastEvalStep = _state.Step;
        _records.Add(record);
        if (_options.RunFolder is string dir) MetricsLog.Append(Path.Combine(dir, RunFolder.MetricsName), record);
        if (improved) Save(RunFolder.BestName, data);
        Save(RunFolder.LastName, data);
        _observer.OnEvaluation(record, improved && _options.Select == CheckpointSelection.Best); // keeping the last, none is "better"
        return null;
    }

    private static bool Better(double value, double than, MonitorMode mode) => mode == MonitorMode.Min ? value < than : value > than;

    // Non-finite, far above the running history, or far above predicting every class alike.
    private string? StepDivergence(double loss)
    {
        if (!double.IsFinite(loss)) return "";
        if (_state.Step == 0) _state.FirstLoss = loss;
        if (_state.Step >= 10)
        {
            // A loss that falls by orders of magnitude (a regression near zero error) may spike by as much again:
            // the reference never drops below 1% of where the run started.
            double reference = Math.Max(_state.LowestLossMean, 0.01 * _state.FirstLoss);
            if (loss > _options.DivergenceFactor * reference)
                return $", more than {_options.DivergenceFactor:G}x its lowest running mean {Num(_state.LowestLossMean)}";
        }
        if (_options.UniformLoss is double uniform && loss > _options.UniformLossFactor * uniform)
            return $", more than {_options.UniformLossFactor:G}x the loss of predicting every class alike ({Num(uniform)})";
        _state.LossMean = double.IsNaN(_state.LossMean) ? loss : (0.9 * _state.LossMean) + (0.1 * loss);
        if (_state.Step >= 9) _state.LowestLossMean = Math.Min(_state.LowestLossMean, _state.LossMean);
        return null;
    }

    private string Diverged(string what)
    {
        string kept = _options.RunFolder is string dir && Checkpoint.Find(dir, preferLast: true) is not null
            ? $"; the last good checkpoint (step {Math.Max(0, _state.LastEvalStep):N0}) is kept"
            : "";
        return $"training diverged: {what}{kept}. Try a lower learning rate or a smaller gradient clipping norm.";
    }

    private void CheckTrackName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name == DataName || _tracked.Exists(t => t.Key == name) || _generators.Exists(g => g.Key == name))
            throw new ArgumentException($"the name '{name}' is already tracked (or reserved for the batch source).", nameof(name));
    }

    private TrainingProgress Progress<TBatch>(IBatchSource<TBatch> data, TimeSpan elapsed, long startStep, double itemsPerSecond)
    {
        long? maxSteps = _options.MaxSteps;
        if (_options.MaxEpochs is long e && data.BatchesPerEpoch > 0) maxSteps = Math.Min(maxSteps ?? long.MaxValue, e * data.BatchesPerEpoch);
        double fraction = maxSteps is long m ? (double)_state.Step / m : 0;
        if (_options.MaxTime is TimeSpan t) fraction = Math.Max(fraction, elapsed / t);
        double secondsPerStep = elapsed.TotalSeconds / Math.Max(1, _state.Step - startStep);
        double eta = maxSteps is long ms ? (ms - _state.Step) * secondsPerStep : double.PositiveInfinity;
        if (_options.MaxTime is TimeSpan max) eta = Math.Min(eta, (max - elapsed).TotalSeconds);
        double epoch = data.Epoch + (data.BatchesPerEpoch > 0 ? (double)(_state.Step % data.BatchesPerEpoch) / data.BatchesPerEpoch : 0);
        double train = _state.TrainLossCount > 0 ? _state.TrainLossSum / _state.TrainLossCount : double.NaN;
        double? monitored = _records.Count > 0 ? _records[^1].GetValueOrNaN(_records[^1].Contains(_options.Monitor) ? _options.Monitor : "train_loss") : null;
        return new TrainingProgress(_state.Step, maxSteps == long.MaxValue ? null : maxSteps, epoch, train, monitored, itemsPerSecond,
            Math.Clamp(fraction, 0, 1), TimeSpan.FromSeconds(double.IsFinite(eta) ? Math.Max(0, eta) : 0));
    }

    // Without an evaluation there is no validation loss: the default monitor falls back to the training loss.
    private string Monitor(bool evaluated) => !evaluated && _options.Monitor == new TrainerOptions().Monitor ? "train_loss" : _options.Monitor;

    private static string Num(double v) => v.ToString("G4", CultureInfo.InvariantCulture);

    private sealed class NoObserver : ITrainingObserver;

    // Recent items per second: over the last second or so of training steps.
    private sealed class Throughput
    {
        private long _items;
        private double _seconds;

        public double PerSecond { get; private set; }

        public void Add(long items, double seconds)
        {
            _items += items;
            _seconds += seconds;
            if (_seconds >= 1 || PerSecond == 0) PerSecond = _items / Math.Max(1e-9, _seconds);
            if (_seconds >= 1) (_items, _seconds) = (0, 0);
        }
    }
}
