using System.Collections;
using System.Globalization;

namespace Recur.NN;

/// <summary>
/// A list of submodules that are registered (named <c>0</c>, <c>1</c>, ...) and so trained and saved, as PyTorch's
/// <c>nn.ModuleList</c>; the owner decides how to call them.
/// </summary>
public sealed class ModuleList : Module, IReadOnlyList<Module>
{
    private readonly List<Module> _modules = [];

    /// <summary>Creates the list holding <paramref name="modules"/>.</summary>
    public ModuleList(params IEnumerable<Module> modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        foreach (var m in modules) Add(m);
    }

    /// <inheritdoc/>
    public int Count => _modules.Count;

    /// <inheritdoc/>
    public Module this[int index] => _modules[index];

    /// <summary>Appends and registers <paramref name="module"/>.</summary>
    public void Add(Module module)
    {
        RegisterModule(_modules.Count.ToString(CultureInfo.InvariantCulture), module);
        _modules.Add(module);
    }

    /// <inheritdoc/>
    public IEnumerator<Module> GetEnumerator() => _modules.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
