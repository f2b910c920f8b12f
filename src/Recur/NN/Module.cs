using Recur.Autograd;

namespace Recur.NN;

/// <summary>
/// Base of every layer: named parameters and submodules with PyTorch's state_dict names
/// (<c>fc.weight</c>, <c>rnn.weight_ih_l0</c>), train/eval mode, gradient reset and state dicts.
/// </summary>
public abstract class Module
{
    private readonly List<KeyValuePair<string, Parameter>> _parameters = [];
    private readonly List<KeyValuePair<string, Module>> _children = [];

    /// <summary>True in training mode (dropout active), false in evaluation mode.</summary>
    public bool IsTraining { get; private set; } = true;

    /// <summary>Registers a parameter under <paramref name="name"/> and returns it.</summary>
    protected Parameter RegisterParameter(string name, Parameter parameter)
    {
        CheckName(name);
        ArgumentNullException.ThrowIfNull(parameter);
        _parameters.Add(new(name, parameter));
        return parameter;
    }

    /// <summary>Registers a submodule under <paramref name="name"/> and returns it.</summary>
    protected T RegisterModule<T>(string name, T module) where T : Module
    {
        CheckName(name);
        ArgumentNullException.ThrowIfNull(module);
        _children.Add(new(name, module));
        return module;
    }

    /// <summary>Every parameter with its dotted path, in registration order (own parameters first).</summary>
    public IEnumerable<KeyValuePair<string, Parameter>> NamedParameters()
    {
        foreach (var p in _parameters) yield return p;
        foreach (var (childName, child) in _children)
            foreach (var (name, p) in child.NamedParameters())
                yield return new($"{childName}.{name}", p);
    }

    /// <summary>Every parameter, in <see cref="NamedParameters"/> order.</summary>
    public IReadOnlyList<Parameter> Parameters() => NamedParameters().Select(p => p.Value).ToList();

    /// <summary>The direct submodules.</summary>
    public IEnumerable<KeyValuePair<string, Module>> NamedChildren() => _children;

    /// <summary>Sets training mode on this module and every submodule.</summary>
    public Module Train(bool training = true)
    {
        IsTraining = training;
        foreach (var (_, child) in _children) child.Train(training);
        return this;
    }

    /// <summary>Sets evaluation mode (same as <c>Train(false)</c>).</summary>
    public Module Eval() => Train(false);

    /// <summary>Sets every parameter's gradient to zero.</summary>
    public void ZeroGrad()
    {
        foreach (var (_, p) in NamedParameters()) p.ZeroGrad();
    }

    /// <summary>The parameters by name (the tensors are shared, not copied).</summary>
    public Dictionary<string, Tensor> StateDict()
    {
        var d = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, p) in NamedParameters()) d[name] = p.Value;
        return d;
    }

    /// <summary>
    /// Copies <paramref name="state"/> into the parameters by name. With <paramref name="strict"/> any missing key,
    /// unexpected key or wrong shape throws one <see cref="ArgumentException"/> listing every mismatch and
    /// nothing is changed; otherwise the matching entries are loaded and the mismatches are returned.
    /// </summary>
    public StateDictReport LoadStateDict(IReadOnlyDictionary<string, Tensor> state, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(state);
        var own = NamedParameters().ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        var missing = own.Keys.Where(k => !state.ContainsKey(k)).ToList();
        var unexpected = state.Keys.Where(k => !own.ContainsKey(k)).OrderBy(k => k, StringComparer.Ordinal).ToList();
        var wrongShape = new List<string>();
        foreach (var (name, p) in own)
            if (state.TryGetValue(name, out var t) && !t.SameShape(p.Value))
                wrongShape.Add($"{name}: expected {Tensor.FormatShape(p.Value.Shape)} but got {Tensor.FormatShape(t.Shape)}");
        var report = new StateDictReport(missing, unexpected, wrongShape);
        if (strict && !report.IsExactMatch)
            throw new ArgumentException($"State dict does not match the module: {report}");
        foreach (var (name, p) in own)
            if (state.TryGetValue(name, out var t) && t.SameShape(p.Value))
            {
                p.Value.CopyFrom(t);
                p.MarkChanged();
            }
        return report;
    }

    private void CheckName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Contains('.'))
            throw new ArgumentException($"A parameter or submodule name must be non-empty and without dots, got '{name}'.", nameof(name));
        if (_parameters.Any(p => p.Key == name) || _children.Any(c => c.Key == name))
            throw new ArgumentException($"The name '{name}' is already registered.", nameof(name));
    }
}

/// <summary>What <see cref="Module.LoadStateDict"/> found: keys missing from the file, unexpected keys, wrong shapes.</summary>
public sealed record StateDictReport(IReadOnlyList<string> Missing, IReadOnlyList<string> Unexpected, IReadOnlyList<string> WrongShape)
{
    /// <summary>True when every key matched with the right shape.</summary>
    public bool IsExactMatch => Missing.Count == 0 && Unexpected.Count == 0 && WrongShape.Count == 0;

    /// <inheritdoc/>
    public override string ToString()
    {
        var parts = new List<string>();
        if (Missing.Count > 0) parts.Add($"missing keys: {string.Join(", ", Missing)}");
        if (Unexpected.Count > 0) parts.Add($"unexpected keys: {string.Join(", ", Unexpected)}");
        if (WrongShape.Count > 0) parts.Add($"wrong shapes: {string.Join("; ", WrongShape)}");
        return parts.Count == 0 ? "all keys match" : string.Join("; ", parts);
    }
}
