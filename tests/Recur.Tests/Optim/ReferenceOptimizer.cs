namespace Recur.Tests.Optim;

/// <summary>
/// PyTorch 1.13's single-tensor optimizer loops (torch/optim/sgd.py, adam.py, adamw.py, rmsprop.py, adagrad.py)
/// written out in double precision with whole-array operations in PyTorch's order, and clip_grad_norm_ in double.
/// Per-parameter state is created on a parameter's first step with a gradient; parameters without one are skipped.
/// </summary>
internal sealed class ReferenceOptimizer(TorchOptimizerConfig config)
{
    private readonly Dictionary<int, State> _states = [];

    /// <summary>The learning rate of the next step (starts at the config's).</summary>
    public double Lr { get; set; } = config.Lr ?? double.NaN;

    private sealed class State
    {
        public long Step;
        public readonly Dictionary<string, double[]> Buffers = [];
    }

    public void Step(double[][] parameters, double[]?[] grads)
    {
        for (int i = 0; i < parameters.Length; i++)
        {
            if (grads[i] is not { } grad) continue;
            if (!_states.TryGetValue(i, out var state)) _states[i] = state = new State();
            state.Step++;
            var g = config.Maximize ? Map(grad, v => -v) : (double[])grad.Clone();
            Update(parameters[i], g, state);
        }
    }

    /// <summary>torch.nn.utils.clip_grad_norm_: the norm of the per-tensor norms; scales by max_norm / (total + 1e-6) when below 1.</summary>
    public static double ClipGradNorm(double[]?[] grads, double maxNorm, double normType)
    {
        var present = grads.Where(g => g is not null).Select(g => g!).ToArray();
        if (present.Length == 0) return 0;
        double total = double.IsPositiveInfinity(normType)
            ? present.Max(g => g.Max(Math.Abs))
            : Math.Pow(present.Sum(g => Math.Pow(Math.Pow(g.Sum(v => Math.Pow(Math.Abs(v), normType)), 1 / normType), normType)), 1 / normType);
        double coef = Math.Min(maxNorm / (total + 1e-6), 1.0);
        foreach (var g in present)
            for (int k = 0; k < g.Length; k++) g[k] *= coef;
        return total;
    }

    private void Update(double[] p, double[] g, State s)
    {
        var c = config;
        switch (c.Optimizer)
        {
            case "SGD":
                if (c.WeightDecay != 0) g = Zip(g, p, (gi, pi) => gi + c.WeightDecay * pi);
                if (c.Momentum != 0)
                {
                    double[] buf;
                    if (!s.Buffers.TryGetValue("momentum_buffer", out var existing)) s.Buffers["momentum_buffer"] = buf = (double[])g.Clone();
                    else buf = s.Buffers["momentum_buffer"] = Zip(Map(existing, b => b * c.Momentum), g, (b, gi) => b + (1 - c.Dampening) * gi);
                    g = c.Nesterov ? Zip(g, buf, (gi, b) => gi + c.Momentum * b) : buf;
                }
                Assign(p, Zip(p, g, (pi, d) => pi + -Lr * d));
                break;

            case "ADAM":
            case "ADAMW":
            {
                if (c.Optimizer == "ADAMW") Assign(p, Map(p, pi => pi * (1 - Lr * c.WeightDecay)));
                else if (c.WeightDecay != 0) g = Zip(g, p, (gi, pi) => gi + c.WeightDecay * pi);
                var m = Buffer(s, "exp_avg", p.Length);
                var v = Buffer(s, "exp_avg_sq", p.Length);
                Assign(m, Zip(Map(m, x => x * c.Beta1), g, (x, gi) => x + (1 - c.Beta1) * gi));
                Assign(v, Zip(Map(v, x => x * c.Beta2), g, (x, gi) => x + (1 - c.Beta2) * gi * gi));
                double biasCorrection1 = 1 - Math.Pow(c.Beta1, s.Step);
                double biasCorrection2 = 1 - Math.Pow(c.Beta2, s.Step);
                double stepSize = Lr / biasCorrection1;
                double biasCorrection2Sqrt = Math.Sqrt(biasCorrection2);
                var second = v;
                if (c.Amsgrad)
                {
                    var vMax = Buffer(s, "max_exp_avg_sq", p.Length);
                    Assign(vMax, Zip(vMax, v, Math.Max));
                    second = vMax;
                }
                var denom = Map(second, x => Math.Sqrt(x) / biasCorrection2Sqrt + c.Eps);
                Assign(p, Zip(p, Zip(m, denom, (a, d) => a / d), (pi, q) => pi + -stepSize * q));
                break;
            }

            case "RMSPROP":
            {
                if (c.WeightDecay != 0) g = Zip(g, p, (gi, pi) => gi + c.WeightDecay * pi);
                var squareAvg = Buffer(s, "square_avg", p.Length);
                Assign(squareAvg, Zip(Map(squareAvg, x => x * c.Alpha), g, (x, gi) => x + (1 - c.Alpha) * gi * gi));
                double[] avg;
                if (c.Centered)
                {
                    var gradAvg = Buffer(s, "grad_avg", p.Length);
                    Assign(gradAvg, Zip(Map(gradAvg, x => x * c.Alpha), g, (x, gi) => x + (1 - c.Alpha) * gi));
                    avg = Map(Zip(squareAvg, gradAvg, (q, a) => q + -1 * a * a), Math.Sqrt);
                }
                else
                {
                    avg = Map(squareAvg, Math.Sqrt);
                }
                avg = Map(avg, x => x + c.Eps);
                if (c.Momentum > 0)
                {
                    var buf = Buffer(s, "momentum_buffer", p.Length);
                    Assign(buf, Zip(Map(buf, x => x * c.Momentum), Zip(g, avg, (gi, a) => gi / a), (x, q) => x + q));
                    Assign(p, Zip(p, buf, (pi, b) => pi + -Lr * b));
                }
                else
                {
                    Assign(p, Zip(p, Zip(g, avg, (gi, a) => gi / a), (pi, q) => pi + -Lr * q));
                }
                break;
            }

            case "ADAGRAD":
            {
                if (!s.Buffers.ContainsKey("sum")) s.Buffers["sum"] = Enumerable.Repeat(c.InitialAccumulatorValue, p.Length).ToArray();
                if (c.WeightDecay != 0) g = Zip(g, p, (gi, pi) => gi + c.WeightDecay * pi);
                double clr = Lr / (1 + (s.Step - 1) * c.LrDecay);
                var sum = s.Buffers["sum"];
                Assign(sum, Zip(sum, g, (x, gi) => x + 1 * gi * gi));
                var std = Map(sum, x => Math.Sqrt(x) + c.Eps);
                Assign(p, Zip(p, Zip(g, std, (gi, d) => gi / d), (pi, q) => pi + -clr * q));
                break;
            }

            default:
                throw new ArgumentException($"No reference for optimizer '{c.Optimizer}'.");
        }
    }

    private static double[] Buffer(State s, string name, int length)
    {
        if (!s.Buffers.TryGetValue(name, out var b)) s.Buffers[name] = b = new double[length];
        return b;
    }

    private static double[] Map(double[] a, Func<double, double> f) => a.Select(f).ToArray();

    private static double[] Zip(double[] a, double[] b, Func<double, double, double> f) => a.Zip(b, f).ToArray();

    private static void Assign(double[] destination, double[] source) => source.CopyTo(destination, 0);
}
