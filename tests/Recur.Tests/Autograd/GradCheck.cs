using Recur.Autograd;

namespace Recur.Tests.Autograd;

/// <summary>
/// Compares the tape's gradients with central differences of L = sum(f(inputs) * seed), the seed being a random
/// upstream gradient (all-ones would hide transposed operands). L is accumulated in double.
/// </summary>
internal static class GradCheck
{
    public static void Check(Func<Variable[], Variable> f, Tensor[] inputs, int seed = 1, double eps = 1e-2, double tol = 2e-3)
    {
        var rng = new RandomGenerator((ulong)seed + 1000);
        var vars = inputs.Select(t => new Variable(t, requiresGrad: true)).ToArray();
        var output = f(vars);
        var upstream = rng.Uniform(-1f, 1f, output.Value.ShapeArray);
        output.Backward(upstream);

        for (int k = 0; k < inputs.Length; k++)
        {
            var x = inputs[k].Span;
            var analytic = vars[k].Grad?.ToArray() ?? new float[x.Length];
            for (int i = 0; i < x.Length; i++)
            {
                float saved = x[i];
                x[i] = (float)(saved + eps);
                double plus = Loss(f, inputs, upstream);
                x[i] = (float)(saved - eps);
                double minus = Loss(f, inputs, upstream);
                x[i] = saved;
                double numeric = (plus - minus) / (2 * eps);
                double err = Math.Abs(numeric - analytic[i]);
                Assert.True(err <= tol * (1 + Math.Abs(numeric)),
                    $"input {k} element {i}: analytic {analytic[i]:G6} vs numeric {numeric:G6}");
            }
        }
    }

    private static double Loss(Func<Variable[], Variable> f, Tensor[] inputs, Tensor upstream)
    {
        using var _ = GradMode.NoGrad();
        var y = f(inputs.Select(t => new Variable(t)).ToArray()).Value.Span;
        var s = upstream.Span;
        double sum = 0;
        for (int i = 0; i < y.Length; i++) sum += (double)y[i] * s[i];
        return sum;
    }

    /// <summary>Checks the gradients of <paramref name="module"/>'s parameters the same way (L = sum(f() * seed)).</summary>
    public static void CheckParameters(Func<Variable> f, Recur.NN.Module module, int seed = 1, double eps = 1e-2, double tol = 2e-3)
    {
        var rng = new RandomGenerator((ulong)seed + 2000);
        module.ZeroGrad();
        var output = f();
        var upstream = rng.Uniform(-1f, 1f, output.Value.ShapeArray);
        output.Backward(upstream);
        foreach (var (name, p) in module.NamedParameters())
        {
            var x = p.Value.Span;
            var analytic = p.Grad?.ToArray() ?? new float[x.Length];
            for (int i = 0; i < x.Length; i++)
            {
                float saved = x[i];
                x[i] = (float)(saved + eps);
                double plus = Loss(f, upstream);
                x[i] = (float)(saved - eps);
                double minus = Loss(f, upstream);
                x[i] = saved;
                double numeric = (plus - minus) / (2 * eps);
                Assert.True(Math.Abs(numeric - analytic[i]) <= tol * (1 + Math.Abs(numeric)), $"{name}[{i}]: analytic {analytic[i]:G6} vs numeric {numeric:G6}");
            }
        }
    }

    private static double Loss(Func<Variable> f, Tensor upstream)
    {
        using var _ = GradMode.NoGrad();
        var y = f().Value.Span;
        var s = upstream.Span;
        double sum = 0;
        for (int i = 0; i < y.Length; i++) sum += (double)y[i] * s[i];
        return sum;
    }

    public static Tensor Rand(int seed, params int[] shape) => new RandomGenerator((ulong)seed).Uniform(-1f, 1f, shape);

    public static Tensor RandPositive(int seed, params int[] shape) => new RandomGenerator((ulong)seed).Uniform(0.5f, 2f, shape);
}
