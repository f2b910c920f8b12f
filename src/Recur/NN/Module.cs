using System.Globalization;
using System.Reflection;
using System.Text;
using Recur.Autograd;

namespace Recur.NN;

/// <summary>
/// Base of every layer: named parameters and submodules with PyTorch's state_dict names
/// (<c>fc.weight</c>, <c>rnn.weight_ih_l0</c>), train/eval mode, gradient reset, state dicts and PyTorch's printed
/// form (<see cref="ToString"/>). A module registers what it owns in its constructor (<see cref="RegisterParameter"/>,
/// <see cref="RegisterModule{T}"/>); a <see cref="Module"/> or <see cref="Parameter"/> held in a field but never
/// registered is reported the first time the parameters are listed, since it would be left out of training and saving.
/// </summary>
public abstract class Module
{
    private readonly List<KeyValuePair<string, Parameter>> _parameters = [];
    private readonly List<KeyValuePair<string, Module>> _children = [];
    private bool _registrationChecked;

    /// <summary>True in training mode (dropout active), false in evaluation mode.</summary>
    public bool IsTraining { get; private set; } = true;

    /// <summary>The type name in <see cref="ToString"/> (PyTorch's class name where there is one: <c>LSTM</c>, <c>Linear</c>).</summary>
    public virtual string TypeName => GetType().Name;

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
        if (ReferenceEquals(module, this)) throw new ArgumentException("A module cannot contain itself.", nameof(module));
        _children.Add(new(name, module));
        return module;
    }

    /// <summary>Every parameter with its dotted path, in registration order (own parameters first).</summary>
    /// <exception cref="InvalidOperationException">A field holds a module or parameter that was never registered.</exception>
    public IEnumerable<KeyValuePair<string, Parameter>> NamedParameters()
    {
        CheckRegistration();
        foreach (var p in _parameters) yield return p;
        foreach (var (childName, child) in _children)
            foreach (var (name, p) in child.NamedParameters())
                yield return new($"{childName}.{name}", p);
    }

    /// <summary>Every parameter, in <see cref="NamedParameters"/> order.</summary>
    public IReadOnlyList<Parameter> Parameters() => NamedParameters().Select(p => p.Value).ToList();

    /// <summary>The number of scalar parameters.</summary>
    public long ParameterCount => NamedParameters().Sum(p => (long)p.Value.Value.Length);

    /// <summary>The number of scalar parameters that receive gradients (not frozen).</summary>
    public long TrainableParameterCount => NamedParameters().Where(p => p.Value.RequiresGrad).Sum(p => (long)p.Value.Value.Length);

    /// <summary>The direct submodules.</summary>
    public IEnumerable<KeyValuePair<string, Module>> NamedChildren() => _children;

    /// <summary>Sets training mode (<paramref name="training"/>) or evaluation mode on this module and every submodule.</summary>
    /// <remarks>Called as <c>model.Train()</c> / <c>model.Eval()</c> through <see cref="ModuleExtensions"/>, which return the module's own type.</remarks>
    public void SetTraining(bool training)
    {
        IsTraining = training;
        foreach (var (_, child) in _children) child.SetTraining(training);
    }

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

    /// <summary>The arguments shown inside the parentheses of a module without children (PyTorch's <c>extra_repr</c>).</summary>
    protected virtual string ExtraRepr() => "";

    /// <summary>
    /// PyTorch's printed form: <c>Linear(in_features=4, out_features=3, bias=True)</c> for a leaf, and for a module
    /// with children one indented line per child, <c>(name): child</c>.
    /// </summary>
    public override string ToString()
    {
        string extra = ExtraRepr();
        if (_children.Count == 0) return $"{TypeName}({extra})";
        // As PyTorch's Module.__repr__: the extra line and each child on lines of their own, indented by two spaces.
        var sb = new StringBuilder(TypeName).Append("(\n");
        if (extra.Length > 0) sb.Append("  ").Append(extra.Replace("\n", "\n  ", StringComparison.Ordinal)).Append('\n');
        foreach (var (name, child) in _children)
            sb.Append("  (").Append(name).Append("): ").Append(child.ToString().Replace("\n", "\n  ", StringComparison.Ordinal)).Append('\n');
        return sb.Append(')').ToString();
    }

    /// <summary>PyTorch's spelling of a flag (<c>True</c>, <c>False</c>) for <see cref="ExtraRepr"/>.</summary>
    protected static string Py(bool value) => value ? "True" : "False";

    /// <summary>PyTorch's spelling of a float (<c>0.1</c>, <c>0.0</c>) for <see cref="ExtraRepr"/>.</summary>
    protected static string Py(double value)
    {
        string s = value.ToString("R", CultureInfo.InvariantCulture);
        return s.Contains('.') || s.Contains('E') || s.Contains("Infinity") || s.Contains("NaN") ? s : s + ".0";
    }

    private void CheckName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Contains('.'))
            throw new ArgumentException($"A parameter or submodule name must be non-empty and without dots, got '{name}'.", nameof(name));
        if (_parameters.Any(p => p.Key == name) || _children.Any(c => c.Key == name))
            throw new ArgumentException($"The name '{name}' is already registered.", nameof(name));
    }

    // A field that holds a module or a parameter (directly or in an array or list) must hold one that this module's
    // tree has registered; anything else would be silently left out of training and saving.
    private void CheckRegistration()
    {
        if (_registrationChecked) return;
        var known = new HashSet<object>(ReferenceEqualityComparer.Instance);
        Collect(this, known);
        for (var type = GetType(); type is not null && type != typeof(Module); type = type.BaseType)
        {
            foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if (!MayHoldMembers(field.FieldType)) continue;
                foreach (var item in Members(field.GetValue(this)))
                {
                    if (known.Contains(item)) continue;
                    string member = FieldName(field);
                    string kind = item is Module m ? m.TypeName : "Parameter";
                    string call = item is Module ? "RegisterModule" : "RegisterParameter";
                    throw new InvalidOperationException(
                        $"{TypeName}.{member} ({kind}) is not registered, so it would not be trained or saved: in the constructor write {member} = {call}(\"{Snake(member)}\", ...).");
                }
            }
        }
        _registrationChecked = true;
    }

    private static void Collect(Module module, HashSet<object> known)
    {
        known.Add(module);
        foreach (var (_, p) in module._parameters) known.Add(p);
        foreach (var (_, child) in module._children) Collect(child, known);
    }

    private static bool MayHoldMembers(Type t) =>
        typeof(Module).IsAssignableFrom(t) || typeof(Parameter).IsAssignableFrom(t)
        || (t.IsArray && MayHoldMembers(t.GetElementType()!))
        || (t.IsGenericType && t.GetGenericArguments().Length == 1 && typeof(System.Collections.IEnumerable).IsAssignableFrom(t) && MayHoldMembers(t.GetGenericArguments()[0]));

    private static IEnumerable<object> Members(object? value)
    {
        switch (value)
        {
            case Module or Parameter:
                yield return value;
                break;
            case System.Collections.IEnumerable items:
                foreach (var item in items)
                    foreach (var inner in Members(item))
                        yield return inner;
                break;
        }
    }

    private static string FieldName(FieldInfo field)
    {
        string name = field.Name;
        if (name.StartsWith('<') && name.IndexOf('>') is int end and > 1) return name[1..end]; // an auto-property's backing field
        return name.TrimStart('_');
    }

    private static string Snake(string name)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0) sb.Append('_');
            sb.Append(char.ToLowerInvariant(name[i]));
        }
        return sb.ToString();
    }
}

/// <summary><c>Train()</c> and <c>Eval()</c> that return the module's own type, so calls chain as in PyTorch.</summary>
public static class ModuleExtensions
{
    /// <summary>Sets training mode (or evaluation mode when <paramref name="training"/> is false) and returns <paramref name="module"/>.</summary>
    public static T Train<T>(this T module, bool training = true) where T : Module
    {
        ArgumentNullException.ThrowIfNull(module);
        module.SetTraining(training);
        return module;
    }

    /// <summary>Sets evaluation mode (dropout off) and returns <paramref name="module"/>.</summary>
    public static T Eval<T>(this T module) where T : Module => module.Train(false);
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
