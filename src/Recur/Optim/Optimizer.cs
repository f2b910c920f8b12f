using System.Globalization;
using Recur.Autograd;

namespace Recur.Optim;

/// <summary>
/// Updates parameters from their gradients, as PyTorch's <c>torch.optim.Optimizer</c> with one parameter group.
/// <see cref="Step()"/> skips parameters whose <see cref="Variable.Grad"/> is null (their state and step count are
/// untouched); per-parameter buffers are allocated on a parameter's first update, so later steps allocate nothing.
/// Parameters are named (PyTorch state-dict names, or "0", "1", ... by position) so that state can be saved and
/// restored by name.
/// </summary>
public abstract class Optimizer
{
    private readonly Parameter[] _parameters;
    private readonly string[] _names;
    private readonly ParameterState?[] _states;
    private double _learningRate;

    /// <summary>Optimizes <paramref name="parameters"/>, named "0", "1", ... by position.</summary>
    protected Optimizer(IEnumerable<Parameter> parameters, double learningRate)
        : this(ByPosition(parameters), learningRate)
    {
    }

    /// <summary>Optimizes named parameters.</summary>
    /// <exception cref="ArgumentException">The list is empty, or a parameter or name appears twice.</exception>
    protected Optimizer(IEnumerable<KeyValuePair<string, Parameter>> parameters, double learningRate)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var list = parameters.ToArray();
        if (list.Length == 0) throw new ArgumentException("The optimizer got an empty parameter list.", nameof(parameters));
        var seenNames = new HashSet<string>(StringComparer.Ordinal);
        var seenParameters = new HashSet<Parameter>(ReferenceEqualityComparer.Instance);
        foreach (var (name, parameter) in list)
        {
            if (name is null || parameter is null)
                throw new ArgumentException("Parameter names and parameters must not be null.", nameof(parameters));
            if (!seenNames.Add(name)) throw new ArgumentException($"The parameter name '{name}' appears more than once.", nameof(parameters));
            if (!seenParameters.Add(parameter)) throw new ArgumentException($"Parameter '{name}' appears more than once.", nameof(parameters));
        }
        _names = list.Select(kv => kv.Key).ToArray();
        _parameters = list.Select(kv => kv.Value).ToArray();
        _states = new ParameterState?[_parameters.Length];
        LearningRate = learningRate;
    }

    /// <summary>The optimized parameters, in order.</summary>
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>The parameters' names, in the same order.</summary>
    public IReadOnlyList<string> ParameterNames => _names;

    /// <summary>
    /// The schedule that sets <see cref="LearningRate"/> before every <see cref="Step()"/>: update n (1-based, counted by
    /// <see cref="StepCount"/>) uses <c>Schedule.At(n)</c>. Null keeps the rate as it is set.
    /// </summary>
    public ILearningRateSchedule? Schedule { get; set; }

    /// <summary>The number of <see cref="Step()"/> calls so far (restored by <see cref="LoadStateDict"/>).</summary>
    public long StepCount { get; private set; }

    /// <summary>The learning rate used by the next <see cref="Step()"/> (<see cref="Schedule"/>, when set, sets it at each step).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative or NaN.</exception>
    public double LearningRate
    {
        get => _learningRate;
        set
        {
            CheckNonNegative(value, "learning rate", nameof(value));
            _learningRate = value;
        }
    }

    /// <summary>The names of the buffers kept per parameter (depend on the options, e.g. amsgrad or momentum).</summary>
    protected abstract string[] BufferNames { get; }

    /// <summary>The value buffer <paramref name="index"/> starts from on a parameter's first update (0 unless overridden).</summary>
    protected virtual float InitialBufferValue(int index) => 0f;

    /// <summary>
    /// Applies one update to one parameter in place. <paramref name="step"/> counts this parameter's updates
    /// including this one (1 on the first), <paramref name="buffers"/> are its state in <see cref="BufferNames"/> order.
    /// </summary>
    protected abstract void Update(Span<float> parameter, ReadOnlySpan<float> gradient, float[][] buffers, long step);

    /// <summary>Updates every parameter that has a gradient.</summary>
    /// <exception cref="InvalidOperationException">A gradient's shape differs from its parameter's.</exception>
    public void Step() => Step(1, zeroGradients: false);

    /// <summary>
    /// Updates every parameter that has a gradient, the gradient first scaled by <paramref name="gradientScale"/>
    /// (g = (float)(g * scale), what <see cref="GradClip.ClipGradNorm"/> does to it) and, with
    /// <paramref name="zeroGradients"/>, zeroed after the update (what <see cref="ZeroGrad"/> does). The same update
    /// as clipping, stepping and zeroing one after the other, in one pass over the memory where the optimizer can
    /// (Adam, AdamW); the gradient itself is left unscaled when it is not zeroed.
    /// </summary>
    /// <exception cref="InvalidOperationException">A gradient's shape differs from its parameter's.</exception>
    public void Step(double gradientScale, bool zeroGradients)
    {
        if (Schedule is not null) LearningRate = Schedule.At(StepCount + 1);
        StepCount++;
        for (int i = 0; i < _parameters.Length; i++)
        {
            var p = _parameters[i];
            var grad = p.Grad;
            if (grad is null) continue;
            if (!grad.SameShape(p.Value))
                throw new InvalidOperationException(
                    $"Parameter '{_names[i]}' has shape {Tensor.FormatShape(p.Shape)} but its gradient has shape {Tensor.FormatShape(grad.Shape)}.");
            var state = _states[i] ??= NewState(p.Value.Length);
            state.Step++;
            UpdateScaled(p.Value.Span, grad.Span, state.Buffers, state.Step, gradientScale, zeroGradients);
            p.MarkChanged();
        }
    }

    /// <summary>
    /// <see cref="Update"/> with the gradient scaled by <paramref name="scale"/> first and zeroed after when
    /// <paramref name="zero"/>. The default scales a copy when needed and clears after; an optimizer that can fold
    /// both into its own pass overrides it (and must give the same values).
    /// </summary>
    protected virtual void UpdateScaled(Span<float> parameter, Span<float> gradient, float[][] buffers, long step, double scale, bool zero)
    {
        if (scale == 1)
        {
            Update(parameter, gradient, buffers, step);
        }
        else
        {
            var scaled = System.Buffers.ArrayPool<float>.Shared.Rent(gradient.Length);
            for (int i = 0; i < gradient.Length; i++) scaled[i] = (float)(gradient[i] * scale);
            Update(parameter, scaled.AsSpan(0, gradient.Length), buffers, step);
            System.Buffers.ArrayPool<float>.Shared.Return(scaled);
        }
        if (zero) gradient.Clear();
    }

    /// <summary>Clears every parameter's gradient: zero-fills it, or drops it when <paramref name="setToNone"/>.</summary>
    public void ZeroGrad(bool setToNone = false)
    {
        foreach (var p in _parameters)
        {
            if (setToNone) p.Grad = null;
            else p.ZeroGrad();
        }
    }

    /// <summary>A copy of the learning rate, the step counts and the buffers (see <see cref="OptimizerState"/>), as PyTorch's <c>state_dict()</c>.</summary>
    public OptimizerState StateDict()
    {
        var steps = new Dictionary<string, long>(StringComparer.Ordinal);
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var bufferNames = BufferNames;
        for (int i = 0; i < _parameters.Length; i++)
        {
            if (_states[i] is not { } state) continue;
            steps[_names[i]] = state.Step;
            for (int b = 0; b < bufferNames.Length; b++)
                tensors[_names[i] + "." + bufferNames[b]] = Tensor.FromArray((float[])state.Buffers[b].Clone(), _parameters[i].Value.ShapeArray);
        }
        return new OptimizerState(_learningRate, steps, tensors, StepCount);
    }

    /// <summary>
    /// Restores a snapshot from <see cref="StateDict"/> of an optimizer of the same kind and options over parameters
    /// of the same names and shapes. Parameters absent from the snapshot start fresh.
    /// </summary>
    /// <exception cref="ArgumentException">An unknown name, a missing buffer, a wrong shape or a negative step count.</exception>
    public void LoadStateDict(OptimizerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        CheckNonNegative(state.LearningRate, "learning rate", nameof(state));
        if (state.StepCount < 0) throw new ArgumentException($"The state has a negative step count {state.StepCount}.", nameof(state));
        var bufferNames = BufferNames;
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < _names.Length; i++) index[_names[i]] = i;
        foreach (var (name, step) in state.Steps)
        {
            if (!index.ContainsKey(name)) throw new ArgumentException($"The state names an unknown parameter '{name}'.", nameof(state));
            if (step < 0) throw new ArgumentException($"Parameter '{name}' has a negative step count {step}.", nameof(state));
        }
        var expectedKeys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in state.Steps.Keys)
        {
            var shape = _parameters[index[name]].Shape;
            foreach (var buffer in bufferNames)
            {
                string key = name + "." + buffer;
                expectedKeys.Add(key);
                if (!state.Tensors.TryGetValue(key, out var t))
                    throw new ArgumentException($"The state lacks buffer '{key}'.", nameof(state));
                if (!t.HasShape(shape.ToArray()))
                    throw new ArgumentException($"Buffer '{key}' has shape {Tensor.FormatShape(t.Shape)} but the parameter has shape {Tensor.FormatShape(shape)}.", nameof(state));
            }
        }
        foreach (var key in state.Tensors.Keys)
            if (!expectedKeys.Contains(key)) throw new ArgumentException($"The state holds an unexpected buffer '{key}'.", nameof(state));

        Array.Clear(_states);
        foreach (var (name, step) in state.Steps)
        {
            int i = index[name];
            var restored = NewState(_parameters[i].Value.Length);
            restored.Step = step;
            for (int b = 0; b < bufferNames.Length; b++) state.Tensors[name + "." + bufferNames[b]].Span.CopyTo(restored.Buffers[b]);
            _states[i] = restored;
        }
        _learningRate = state.LearningRate;
        StepCount = state.StepCount;
    }

    /// <summary>Throws unless <paramref name="value"/> is zero or positive (not NaN).</summary>
    private protected static void CheckNonNegative(double value, string what, string paramName)
    {
        if (!(value >= 0))
            throw new ArgumentOutOfRangeException(paramName, $"Invalid {what}: expected a value >= 0 but got {value.ToString(CultureInfo.InvariantCulture)}.");
    }

    /// <summary>Throws unless 0 &lt;= <paramref name="value"/> &lt; 1.</summary>
    private protected static void CheckBeta(double value, string what, string paramName)
    {
        if (!(value >= 0 && value < 1))
            throw new ArgumentOutOfRangeException(paramName, $"Invalid {what}: expected a value in [0, 1) but got {value.ToString(CultureInfo.InvariantCulture)}.");
    }

    private ParameterState NewState(int length)
    {
        var names = BufferNames;
        var buffers = new float[names.Length][];
        for (int b = 0; b < buffers.Length; b++)
        {
            buffers[b] = new float[length];
            float initial = InitialBufferValue(b);
            if (initial != 0) buffers[b].AsSpan().Fill(initial);
        }
        return new ParameterState(buffers);
    }

    /// <summary>Names parameters "0", "1", ... by position.</summary>
    private protected static IEnumerable<KeyValuePair<string, Parameter>> ByPosition(IEnumerable<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return parameters.Select((p, i) => KeyValuePair.Create(i.ToString(CultureInfo.InvariantCulture), p));
    }

    private sealed class ParameterState(float[][] buffers)
    {
        public long Step;
        public readonly float[][] Buffers = buffers;
    }
}
