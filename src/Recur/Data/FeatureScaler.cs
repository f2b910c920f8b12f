// T time, F features
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Recur.Data;

/// <summary>
/// Standardizes numeric series feature by feature, x' = (x - mean_f) / std_f, with the mean and standard deviation
/// fitted over every step of the training series only and saved with the model (as scikit-learn's StandardScaler over
/// all time steps; a feature that never varies keeps std 1).
/// </summary>
public sealed class FeatureScaler
{
    private readonly double[] _mean;
    private readonly double[] _std;

    private FeatureScaler(double[] mean, double[] std)
    {
        _mean = mean;
        _std = std;
    }

    /// <summary>F: the features.</summary>
    public int Features => _mean.Length;

    /// <summary>Each feature's mean.</summary>
    public IReadOnlyList<double> Mean => _mean;

    /// <summary>Each feature's standard deviation (population).</summary>
    public IReadOnlyList<double> Std => _std;

    /// <summary>Fits the scaler on <paramref name="series"/> (each [T_i, F], time-major).</summary>
    /// <exception cref="ArgumentException">No values, or a series whose length is not a multiple of F.</exception>
    public static FeatureScaler Fit(IEnumerable<float[]> series, int features)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(features);
        var sum = new double[features];
        var sumSq = new double[features];
        long steps = 0;
        foreach (var s in series)
        {
            if (s.Length % features != 0) throw new ArgumentException($"A series of {s.Length} values is not made of steps of {features} features.", nameof(series));
            for (int i = 0; i < s.Length; i++)
            {
                sum[i % features] += s[i];
                sumSq[i % features] += (double)s[i] * s[i];
            }
            steps += s.Length / features;
        }
        if (steps == 0) throw new ArgumentException("There are no values to fit the scaler on.", nameof(series));
        var mean = new double[features];
        var std = new double[features];
        for (int f = 0; f < features; f++)
        {
            mean[f] = sum[f] / steps;
            double variance = Math.Max(0, (sumSq[f] / steps) - (mean[f] * mean[f]));
            std[f] = variance > 1e-24 ? Math.Sqrt(variance) : 1;
        }
        return new FeatureScaler(mean, std);
    }

    /// <summary>A scaled copy of <paramref name="values"/> ([T, F]).</summary>
    public float[] Transform(ReadOnlySpan<float> values)
    {
        if (values.Length % Features != 0) throw new ArgumentException($"{values.Length} values are not made of steps of {Features} features.", nameof(values));
        var y = new float[values.Length];
        for (int i = 0; i < y.Length; i++) y[i] = (float)((values[i] - _mean[i % Features]) / _std[i % Features]);
        return y;
    }

    /// <summary>The JSON form: <c>{"mean": [...], "std": [...]}</c>.</summary>
    public string ToJson() => new JsonObject
    {
        ["mean"] = new JsonArray(_mean.Select(v => (JsonNode)v).ToArray()),
        ["std"] = new JsonArray(_std.Select(v => (JsonNode)v).ToArray()),
    }.ToJsonString(new JsonSerializerOptions { WriteIndented = true });

    /// <summary>Reads the JSON form.</summary>
    /// <exception cref="InvalidDataException">Malformed, lists of different lengths, or a standard deviation that is not positive and finite.</exception>
    public static FeatureScaler FromJson(string json)
    {
        try
        {
            var o = JsonNode.Parse(json) as JsonObject ?? throw new InvalidDataException("the scaler is not a JSON object.");
            double[] Read(string name) => (o[name] as JsonArray ?? throw new InvalidDataException($"the scaler has no \"{name}\" list."))
                .Select(n => n?.GetValue<double>() ?? throw new InvalidDataException($"the scaler's \"{name}\" holds a null.")).ToArray();
            double[] mean = Read("mean"), std = Read("std");
            if (mean.Length == 0 || mean.Length != std.Length) throw new InvalidDataException($"the scaler has {mean.Length} means and {std.Length} deviations.");
            if (mean.Any(m => !double.IsFinite(m)) || std.Any(s => !(s > 0) || !double.IsFinite(s)))
                throw new InvalidDataException("the scaler holds a mean that is not finite or a deviation that is not positive.");
            return new FeatureScaler(mean, std);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
        {
            throw new InvalidDataException($"the scaler is not valid: {ex.Message}", ex);
        }
    }

    /// <summary>A one-line description.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"standardized over {Features} features (mean {_mean.Average():G3}, std {_std.Average():G3} on average)");
}
