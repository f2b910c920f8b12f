using Recur.Autograd;

namespace Recur.NN;

/// <summary>
/// Layers applied in order, y = f_n(... f_1(x)), as PyTorch's <c>nn.Sequential</c>: the children are named
/// <c>0</c>, <c>1</c>, ... so parameters are <c>0.weight</c>, <c>2.bias</c>, and so on.
/// </summary>
public sealed class Sequential : Module, ILayer
{
    private readonly List<ILayer> _layers = [];

    /// <summary>Creates the chain of <paramref name="layers"/>; each must be a <see cref="Module"/> implementing <see cref="ILayer"/>.</summary>
    /// <exception cref="ArgumentException">A layer is not a module with <c>Forward(Variable)</c>.</exception>
    public Sequential(params Module[] layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        foreach (var layer in layers) Add(layer);
    }

    /// <summary>The number of layers.</summary>
    public int Count => _layers.Count;

    /// <summary>Layer <paramref name="index"/>.</summary>
    public Module this[int index] => (Module)_layers[index];

    /// <summary>Appends <paramref name="layer"/> (named by its position) and returns this chain.</summary>
    public Sequential Add(Module layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        if (layer is not ILayer step)
            throw new ArgumentException($"{layer.TypeName} cannot be a step of a Sequential: it has no Forward(Variable) returning one Variable (ILayer).", nameof(layer));
        RegisterModule(_layers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), layer);
        _layers.Add(step);
        return this;
    }

    /// <inheritdoc/>
    public Variable Forward(Variable input)
    {
        var x = input;
        foreach (var layer in _layers) x = layer.Forward(x);
        return x;
    }
}
