using System.Collections;

namespace Recur.Training;

/// <summary>
/// Named values of one evaluation or one log record, in the order they were set (<c>val_loss</c>,
/// <c>val_accuracy</c>, ...). Any names may be used; the trainer adds <c>step</c>, <c>epoch</c>, <c>train_loss</c>,
/// <c>lr</c>, a throughput and <c>elapsed_s</c> to the ones an evaluation returns.
/// </summary>
public sealed class Metrics : IEnumerable<KeyValuePair<string, double>>
{
    private readonly List<KeyValuePair<string, double>> _items = [];

    /// <summary>The value called <paramref name="name"/>; setting a new name appends it, an existing one is replaced in place.</summary>
    /// <exception cref="KeyNotFoundException">No value has that name (the message lists the names there are).</exception>
    public double this[string name]
    {
        get => TryGetValue(name, out double v) ? v
            : throw new KeyNotFoundException($"no metric '{name}'; there are: {(Count == 0 ? "none" : string.Join(", ", Names))}.");
        set
        {
            ArgumentException.ThrowIfNullOrEmpty(name);
            int i = _items.FindIndex(kv => kv.Key == name);
            if (i >= 0) _items[i] = new(name, value);
            else _items.Add(new(name, value));
        }
    }

    /// <summary>The number of values.</summary>
    public int Count => _items.Count;

    /// <summary>The names, in order.</summary>
    public IEnumerable<string> Names => _items.Select(kv => kv.Key);

    /// <summary>True when a value called <paramref name="name"/> is there.</summary>
    public bool Contains(string name) => _items.Exists(kv => kv.Key == name);

    /// <summary>The value called <paramref name="name"/>, if there is one.</summary>
    public bool TryGetValue(string name, out double value)
    {
        foreach (var (k, v) in _items)
        {
            if (k != name) continue;
            value = v;
            return true;
        }
        value = double.NaN;
        return false;
    }

    /// <summary>The value called <paramref name="name"/>, or NaN.</summary>
    public double GetValueOrNaN(string name) => TryGetValue(name, out double v) ? v : double.NaN;

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<string, double>> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>name=value pairs.</summary>
    public override string ToString() => string.Join(", ", _items.Select(kv => FormattableString.Invariant($"{kv.Key}={kv.Value:G6}")));
}
