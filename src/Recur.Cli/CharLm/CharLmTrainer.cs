// B batch (streams), T time, L layers, H hidden, V vocab
using System.Diagnostics;
using System.Globalization;
using Recur.Autograd;
using Recur.Data;
using Recur.NN;
using Recur.Optim;
using Recur.Training;

namespace Recur.Cli.CharLm;

/// <summary>When a training run stops.</summary>
/// <param name="MaxSteps">Stop after this many steps in all (across resumes).</param>
/// <param name="MaxTime">Stop after this much time in this invocation.</param>
/// <param name="EvalEvery">Steps between evaluations (and checkpoints).</param>
/// <param name="Patience">Stop after this many evaluations without a better validation loss (0: never).</param>
public sealed record TrainLimits(long MaxSteps, TimeSpan? MaxTime, int EvalEvery, int Patience);

/// <summary>Why a run stopped.</summary>
public enum StopReason
{
    /// <summary>Reached the step limit.</summary>
    MaxSteps,

    /// <summary>Reached the time limit.</summary>
    MaxTime,

    /// <summary>The validation loss stopped improving.</summary>
    EarlyStopping,

    /// <summary>Ctrl+C.</summary>
    Interrupted,
}

/// <summary>How a run ended: the reason, the step, and the last and best validation losses.</summary>
public sealed record TrainOutcome(StopReason Reason, long Step, double? LastValLoss, double? BestValLoss, long BestStep);

/// <summary>
/// Trains a <see cref="CharLmModel"/> with truncated BPTT over B parallel streams (the state carried, detached, from
/// one step to the next), AdamW with warm-up and decay, gradient clipping, periodic evaluation on the validation
/// split, early stopping, and <c>best/</c> and <c>last/</c> checkpoints in the run folder with <c>metrics.jsonl</c>
/// and <c>loss.png</c>. A run resumed from its last checkpoint continues bit for bit as if never stopped.
/// </summary>
public sealed class CharLmTrainer
{
    private readonly CharLmConfig _config;
    private readonly TextCorpus _corpus;
    private readonly string _runDir;
    private readonly RandomGenerator _rng;
    private readonly AdamW _optimizer;
    private readonly StreamBatcher _batcher;
    private readonly LearningRateSchedule _schedule;
    private readonly List<EvalRecord> _records;
    private readonly int[] _inputs;  // [T, B]
    private readonly int[] _targets; // [T, B]
    private CharLmTrainingState _state;
    private Variable? _h; // [L, B, H]
    private Variable? _c; // [L, B, H] (LSTM)
    private bool _plotFailed;

    /// <summary>Prepares a new run (<paramref name="resume"/> null) or continues the checkpoint <paramref name="resume"/>.</summary>
    public CharLmTrainer(CharLmConfig config, TextCorpus corpus, string dataPath, string runDir, CharLmCheckpoint? resume)
    {
        _config = config;
        _corpus = corpus;
        _runDir = runDir;
        _rng = new RandomGenerator(config.Seed);
        Model = resume?.CreateModel(_rng) ?? new CharLmModel(config, _rng);
        _optimizer = new AdamW(Model.NamedParameters(), config.LearningRate, weightDecay: config.WeightDecay);
        _batcher = new StreamBatcher(corpus.Train, config.BatchSize, config.SequenceLength);
        _schedule = config.LearningRateSchedule();
        _inputs = new int[config.SequenceLength * config.BatchSize];
        _targets = new int[_inputs.Length];
        _state = new CharLmTrainingState
        {
            DataPath = Path.GetFullPath(dataPath),
            DataLength = corpus.Length,
            DataHash = CharLmTrainingState.HashText(corpus.Text),
        };
        if (resume is not null)
        {
            _state = resume.State!;
            _optimizer.LoadState(resume.Optimizer!);
            _rng.SetState(_state.Rng);
            _batcher.Seek(_state.DataPosition, _state.Epoch);
            int[] shape = [config.Layers, config.BatchSize, config.HiddenSize];
            if (resume.Hidden is Tensor h)
            {
                if (!h.HasShape(shape) || (resume.Cell is Tensor c0 && !c0.HasShape(shape)) || (Model.HasCellState != resume.Cell is not null))
                    throw new InvalidDataException($"checkpoint '{resume.Folder}': state.safetensors does not fit config.json.");
                _h = new Variable(h);
                _c = resume.Cell is Tensor c ? new Variable(c) : null;
            }
        }
        _records = MetricsLog.TruncateAfter(MetricsPath, _state.Step);
    }

    /// <summary>The model being trained.</summary>
    public CharLmModel Model { get; }

    /// <summary>Steps taken so far.</summary>
    public long Step => _state.Step;

    /// <summary>The run's metrics file.</summary>
    public string MetricsPath => Path.Combine(_runDir, "metrics.jsonl");

    /// <summary>The run's loss curve.</summary>
    public string PlotPath => Path.Combine(_runDir, "loss.png");

    /// <summary>Trains until a limit is reached or <paramref name="cancel"/> fires, then saves the last checkpoint.</summary>
    public TrainOutcome Run(TrainLimits limits, TrainProgress progress, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        double elapsedBefore = _state.ElapsedSeconds;
        var speedClock = Stopwatch.StartNew();
        long speedChars = 0;
        double charsPerSecond = 0;
        long lastEvalStep = _records.Count > 0 ? _records[^1].Step : -1, savedStep = -1;
        long startStep = _state.Step;
        double evalWindowSeconds = 0; // training time since the last evaluation, for chars_per_s
        long evalWindowChars = 0;
        StopReason reason;
        while (true)
        {
            if (_state.Step >= limits.MaxSteps) { reason = StopReason.MaxSteps; break; }
            if (cancel.IsCancellationRequested)
            {
                progress.Line($"Interrupted at step {_state.Step:N0}: saving a checkpoint (Ctrl+C again quits at once).");
                reason = StopReason.Interrupted;
                break;
            }
            if (limits.MaxTime is TimeSpan max && clock.Elapsed >= max) { reason = StopReason.MaxTime; break; }

            long before = Stopwatch.GetTimestamp();
            double loss = TrainStep();
            evalWindowSeconds += Stopwatch.GetElapsedTime(before).TotalSeconds;
            evalWindowChars += _inputs.Length;
            if (!double.IsFinite(loss))
                throw new UserErrorException($"training diverged: the loss is {loss} at step {_state.Step}; try a lower --lr or a smaller --grad-clip.");
            speedChars += _inputs.Length;
            if (speedClock.Elapsed.TotalSeconds >= 1)
            {
                charsPerSecond = speedChars / speedClock.Elapsed.TotalSeconds;
                speedClock.Restart();
                speedChars = 0;
            }
            else if (charsPerSecond == 0) charsPerSecond = speedChars / Math.Max(1e-6, speedClock.Elapsed.TotalSeconds);
            progress.Update(Progress(limits, clock.Elapsed, startStep, charsPerSecond));

            if (_state.Step % limits.EvalEvery == 0)
            {
                Evaluate(progress, evalWindowChars / Math.Max(1e-9, evalWindowSeconds), elapsedBefore + clock.Elapsed.TotalSeconds);
                (evalWindowChars, evalWindowSeconds, speedChars) = (0, 0, 0);
                speedClock.Restart();
                lastEvalStep = savedStep = _state.Step;
                progress.Update(Progress(limits, clock.Elapsed, startStep, charsPerSecond));
                if (limits.Patience > 0 && _state.EvalsSinceBest >= limits.Patience) { reason = StopReason.EarlyStopping; break; }
            }
        }
        if (reason != StopReason.Interrupted && lastEvalStep != _state.Step && _state.Step > 0)
        {
            Evaluate(progress, evalWindowChars / Math.Max(1e-9, evalWindowSeconds), elapsedBefore + clock.Elapsed.TotalSeconds);
            savedStep = _state.Step;
        }
        if (savedStep != _state.Step)
        {
            _state = _state with { ElapsedSeconds = elapsedBefore + clock.Elapsed.TotalSeconds };
            Save(CharLmCheckpoint.LastName);
        }
        return new TrainOutcome(reason, _state.Step, _records.Count > 0 ? _records[^1].ValLoss : null, _state.BestValLoss, _state.BestStep);
    }

    private double TrainStep()
    {
        int t = _config.SequenceLength, b = _config.BatchSize;
        if (_batcher.Next(_inputs, _targets))
        {
            _h = null; // a new epoch: the streams start over, so the carried state is stale
            _c = null;
        }
        Model.Train();
        _optimizer.ZeroGrad();
        var (logits, hN, cN) = Model.Forward(_inputs, t, b, _h, _c);
        var loss = CrossEntropyLoss.Compute(logits, _targets);
        loss.Backward(retainGraph: false); // the graph is not used again: its pooled buffers go back at once
        if (_config.GradClip > 0) GradClip.ClipGradNorm(Model.Parameters(), _config.GradClip);
        long step = _state.Step + 1;
        _optimizer.LearningRate = _schedule.At(step);
        _optimizer.Step();
        _h = hN.Detach();
        _c = cN?.Detach();
        double value = loss.Value.ToScalar();
        _state = _state with
        {
            Step = step,
            DataPosition = _batcher.Position,
            Epoch = _batcher.Epoch,
            TrainLossSum = _state.TrainLossSum + value,
            TrainLossCount = _state.TrainLossCount + 1,
        };
        return value;
    }

    private void Evaluate(TrainProgress progress, double charsPerSecond, double elapsed)
    {
        double val = CharLmEvaluator.Loss(Model, _corpus.Validation.Span);
        double train = _state.TrainLossCount > 0 ? _state.TrainLossSum / _state.TrainLossCount : double.NaN;
        var record = new EvalRecord(_state.Step, train, val, _schedule.At(_state.Step), charsPerSecond, elapsed);
        _records.Add(record);
        MetricsLog.Append(MetricsPath, record);
        bool improved = _state.BestValLoss is not double best || val < best;
        _state = _state with
        {
            BestValLoss = improved ? val : _state.BestValLoss,
            BestStep = improved ? _state.Step : _state.BestStep,
            EvalsSinceBest = improved ? 0 : _state.EvalsSinceBest + 1,
            TrainLossSum = 0,
            TrainLossCount = 0,
            ElapsedSeconds = elapsed,
        };
        if (improved) Save(CharLmCheckpoint.BestName);
        Save(CharLmCheckpoint.LastName);
        DrawPlot(progress);
        progress.Line(string.Create(CultureInfo.InvariantCulture,
            $"step {record.Step,7:N0}  train {train:F3}  val {val:F3} nats/char ({val / Math.Log(2):F3} bits)  lr {record.LearningRate:G3}  {charsPerSecond / 1000:F1}k chars/s  {DurationText.Format(TimeSpan.FromSeconds(elapsed))}{(improved ? "  *best" : "")}"));
    }

    // The plot is a convenience: a machine that cannot draw it (no fonts, no native graphics) still trains.
    private void DrawPlot(TrainProgress progress)
    {
        if (_plotFailed) return;
        try
        {
            LossPlot.Write(PlotPath, _records, $"{_config.Cell.ToUpperInvariant()} {_config.Layers}x{_config.HiddenSize}, seq {_config.SequenceLength}, batch {_config.BatchSize}");
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _plotFailed = true;
            progress.Line($"warning: cannot draw {PlotPath} ({ex.GetType().Name}: {ex.Message}); training goes on, metrics.jsonl has the numbers.");
        }
    }

    private void Save(string name)
    {
        _state = _state with { Rng = _rng.GetState() };
        CharLmCheckpoint.Save(Path.Combine(_runDir, name), Model, _corpus.Vocabulary, _optimizer, _state, _h?.Value, _c?.Value);
    }

    private StepProgress Progress(TrainLimits limits, TimeSpan elapsed, long startStep, double charsPerSecond)
    {
        double stepFraction = (double)_state.Step / limits.MaxSteps;
        double timeFraction = limits.MaxTime is TimeSpan max ? elapsed / max : 0;
        double secondsPerStep = elapsed.TotalSeconds / Math.Max(1, _state.Step - startStep);
        double eta = (limits.MaxSteps - _state.Step) * secondsPerStep;
        if (limits.MaxTime is TimeSpan m) eta = Math.Min(eta, (m - elapsed).TotalSeconds);
        double train = _state.TrainLossCount > 0 ? _state.TrainLossSum / _state.TrainLossCount : double.NaN;
        double? val = _records.Count > 0 ? _records[^1].ValLoss : null;
        return new StepProgress(_state.Step, limits.MaxSteps, train, val, charsPerSecond, Math.Max(stepFraction, timeFraction), TimeSpan.FromSeconds(Math.Max(0, eta)));
    }
}
