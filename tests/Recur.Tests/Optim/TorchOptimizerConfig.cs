using System.Globalization;
using System.Text.Json;
using Recur.Autograd;
using Recur.Optim;
using Recur.Tests.Fixtures;

namespace Recur.Tests.Optim;

/// <summary>
/// A PyTorch 1.13 optimizer configuration as the fixtures store it: the constructor arguments with PyTorch's
/// names and defaults, plus the harness's gradient clipping. Fields PyTorch accepts that do not change the
/// arithmetic (foreach, capturable, differentiable, fused) and unknown fields are ignored.
/// </summary>
internal sealed record TorchOptimizerConfig(
    string Optimizer, double? Lr, double Beta1, double Beta2, double Eps, double WeightDecay, bool Amsgrad, bool Maximize,
    double Momentum, double Dampening, bool Nesterov, double Alpha, bool Centered, double LrDecay, double InitialAccumulatorValue,
    double? ClipGradNorm, double NormType, double? ClipGradValue)
{
    /// <summary>Reads a config JSON (Python's json.dumps, so Infinity and NaN may appear bare).</summary>
    public static TorchOptimizerConfig Parse(string json) => Parse(Fixture.ParseConfig(json), module: null);

    /// <summary>Reads a parsed config; <paramref name="module"/> (the fixture's) names the optimizer when the config does not.</summary>
    public static TorchOptimizerConfig Parse(JsonElement root, string? module)
    {
        string name = (Str(root, "optimizer") ?? module ?? throw new ArgumentException($"The config names no optimizer: {root}")).ToUpperInvariant();
        bool adamW = name == "ADAMW";
        double defaultLr = name switch { "ADAM" or "ADAMW" => 1e-3, "RMSPROP" or "ADAGRAD" => 1e-2, _ => double.NaN };
        double[] betas = root.TryGetProperty("betas", out var b) ? b.EnumerateArray().Select(Num).ToArray() : [0.9, 0.999];
        return new TorchOptimizerConfig(
            Optimizer: name,
            Lr: Opt(root, "lr") ?? (double.IsNaN(defaultLr) ? null : defaultLr),
            Beta1: betas[0],
            Beta2: betas[1],
            Eps: Opt(root, "eps") ?? name switch { "ADAGRAD" => 1e-10, _ => 1e-8 },
            WeightDecay: Opt(root, "weight_decay") ?? (adamW ? 1e-2 : 0),
            Amsgrad: Flag(root, "amsgrad"),
            Maximize: Flag(root, "maximize"),
            Momentum: Opt(root, "momentum") ?? 0,
            Dampening: Opt(root, "dampening") ?? 0,
            Nesterov: Flag(root, "nesterov"),
            Alpha: Opt(root, "alpha") ?? 0.99,
            Centered: Flag(root, "centered"),
            LrDecay: Opt(root, "lr_decay") ?? 0,
            InitialAccumulatorValue: Opt(root, "initial_accumulator_value") ?? 0,
            ClipGradNorm: Opt(root, "clip_grad_norm") ?? Opt(root, "max_norm"),
            NormType: Opt(root, "norm_type") ?? Opt(root, "clip_norm_type") ?? Opt(root, "clip_grad_norm_type") ?? 2,
            ClipGradValue: Opt(root, "clip_grad_value") ?? Opt(root, "clip_value"));
    }

    /// <summary>Recur's optimizer for this config.</summary>
    public Recur.Optim.Optimizer Create(IEnumerable<Parameter> parameters) => Optimizer switch
    {
        "SGD" => new Sgd(parameters, Lr ?? throw new ArgumentException("SGD needs lr."), Momentum, Dampening, WeightDecay, Nesterov, Maximize),
        "ADAM" => new Adam(parameters, Lr!.Value, Beta1, Beta2, Eps, WeightDecay, Amsgrad, Maximize),
        "ADAMW" => new AdamW(parameters, Lr!.Value, Beta1, Beta2, Eps, WeightDecay, Amsgrad, Maximize),
        "RMSPROP" => new RmsProp(parameters, Lr!.Value, Alpha, Eps, WeightDecay, Momentum, Centered, Maximize),
        "ADAGRAD" => new Adagrad(parameters, Lr!.Value, LrDecay, WeightDecay, InitialAccumulatorValue, Eps, Maximize),
        _ => throw new ArgumentException($"Unknown optimizer '{Optimizer}'."),
    };

    /// <summary>The harness's gradient clipping on Recur's parameters (by norm, then by value); the norm before clipping.</summary>
    public float? Clip(IEnumerable<Parameter> parameters)
    {
        float? norm = ClipGradNorm is double maxNorm ? GradClip.ClipGradNorm(parameters, maxNorm, NormType) : null;
        if (ClipGradValue is double value) GradClip.ClipGradValue(parameters, value);
        return norm;
    }

    private static double Num(JsonElement e) => e.ValueKind == JsonValueKind.String
        ? e.GetString()!.ToLowerInvariant() switch
        {
            "infinity" or "inf" => double.PositiveInfinity,
            "-infinity" or "-inf" => double.NegativeInfinity,
            "nan" => double.NaN,
            var s => double.Parse(s, CultureInfo.InvariantCulture),
        }
        : e.GetDouble();

    private static double? Opt(JsonElement root, string name) =>
        root.TryGetProperty(name, out var e) && e.ValueKind != JsonValueKind.Null ? Num(e) : null;

    private static bool Flag(JsonElement root, string name) =>
        root.TryGetProperty(name, out var e) && e.ValueKind == JsonValueKind.True;

    private static string? Str(JsonElement root, string name) =>
        root.TryGetProperty(name, out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
}
