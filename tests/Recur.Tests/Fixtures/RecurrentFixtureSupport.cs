// B batch, T time, I input, H hidden, P projection, G gates (LSTM 4H i,f,g,o; GRU 3H r,z,n), L layers, D directions
using System.Text.Json;
using Recur.Autograd;
using Recur.NN;

namespace Recur.Tests.Fixtures;

/// <summary>Shared steps of the recurrent and cell fixture checkers: loading parameters, optional states, gradient checks.</summary>
internal static class RecurrentFixtureSupport
{
    public const double Tolerance = 1e-4;

    /// <summary>Copies every <c>param.NAME</c> tensor into the module's parameter NAME; names must match both ways.</summary>
    public static void LoadParameters(Fixture f, Module module)
    {
        var expected = f.File.Tensors.Keys.Where(k => k.StartsWith("param.", StringComparison.Ordinal)).Select(k => k["param.".Length..]).Order(StringComparer.Ordinal).ToArray();
        var own = module.NamedParameters().Select(p => p.Key).Order(StringComparer.Ordinal).ToArray();
        Assert.True(expected.SequenceEqual(own), $"parameter names: fixture [{string.Join(", ", expected)}] vs module [{string.Join(", ", own)}]");
        foreach (var (name, p) in module.NamedParameters()) p.Value.CopyFrom(f.Tensor("param." + name));
    }

    /// <summary>The named tensor as a leaf that requires a gradient, or null when the fixture does not have it.</summary>
    public static Variable? OptionalLeaf(Fixture f, string name) => f.Has(name) ? new Variable(f.Tensor(name), requiresGrad: true) : null;

    /// <summary>sum(value * seed) as a scalar on the tape.</summary>
    public static Variable Dot(Variable value, Tensor seed) => Ops.Sum(value * new Variable(seed));

    /// <summary>The metadata <c>lengths</c> (a JSON list), or null for a full batch.</summary>
    public static int[]? Lengths(Fixture f) =>
        f.File.Metadata.TryGetValue("lengths", out var json) ? JsonSerializer.Deserialize<int[]>(json) : null;

    /// <summary>Checks every <c>grad.*</c> tensor of the fixture against the gradient of the named leaf.</summary>
    public static void CheckGradients(Fixture f, Module module, IReadOnlyDictionary<string, Variable?> leaves)
    {
        var parameters = module.NamedParameters().ToDictionary(p => p.Key, p => (Variable)p.Value, StringComparer.Ordinal);
        foreach (string key in f.File.Tensors.Keys.Where(k => k.StartsWith("grad.", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            string name = key["grad.".Length..];
            Variable? leaf = name.StartsWith("param.", StringComparison.Ordinal)
                ? parameters.GetValueOrDefault(name["param.".Length..])
                : leaves.GetValueOrDefault(name);
            Assert.True(leaf is not null, $"{key}: the fixture has a gradient for '{name}', which this case does not have as an input");
            var expected = f.Tensor(key);
            Fixture.AssertClose(key, expected, leaf!.Grad ?? new Tensor(expected.ShapeArray), Tolerance);
        }
    }
}
