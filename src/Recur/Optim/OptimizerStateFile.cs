using System.Globalization;
using System.Text.Json;
using Recur.IO;

namespace Recur.Optim;

/// <summary>
/// Saves and loads an optimizer's state (<see cref="Optimizer.StateDict"/>) as one safetensors file: the buffers as
/// tensors under <c>"&lt;parameter&gt;.&lt;buffer&gt;"</c>, and in the metadata the optimizer's type, the learning rate,
/// the step count and the per-parameter update counts.
/// </summary>
public static class OptimizerStateFile
{
    private const string Format = "recur-optimizer";

    /// <summary>Writes <paramref name="optimizer"/>'s state to <paramref name="path"/> atomically.</summary>
    public static void Save(Optimizer optimizer, string path)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        var state = optimizer.StateDict();
        var metadata = new Dictionary<string, string>
        {
            ["format"] = Format,
            ["version"] = "1",
            ["type"] = optimizer.GetType().Name,
            ["learning_rate"] = state.LearningRate.ToString("R", CultureInfo.InvariantCulture),
            ["step_count"] = state.StepCount.ToString(CultureInfo.InvariantCulture),
            ["steps"] = JsonSerializer.Serialize(state.Steps),
        };
        SafetensorsTensors.WriteTensors(path, state.Tensors, metadata);
    }

    /// <summary>Reads the state in <paramref name="path"/> (see <see cref="Save"/>).</summary>
    /// <exception cref="InvalidDataException">The file is not an optimizer state, or its metadata is damaged.</exception>
    public static (string Type, OptimizerState State) Read(string path)
    {
        SafetensorsFile file;
        try
        {
            file = SafetensorsFile.Read(path);
        }
        catch (SafetensorsFormatException ex)
        {
            throw new InvalidDataException($"'{path}' is not a valid safetensors file: {ex.Message}", ex);
        }
        var m = file.Metadata;
        if (!m.TryGetValue("format", out var format) || format != Format)
            throw new InvalidDataException($"'{path}' is not an optimizer state (no \"format\": \"{Format}\" in its metadata).");
        if (!m.TryGetValue("version", out var version) || version != "1")
            throw new InvalidDataException($"'{path}' is an optimizer state of version {version ?? "(none)"}; this Recur reads version 1.");
        try
        {
            var steps = JsonSerializer.Deserialize<Dictionary<string, long>>(m["steps"]) ?? throw new InvalidDataException("\"steps\" is null.");
            var tensors = file.Entries.ToDictionary(e => e.Name, e => e.ToTensor(), StringComparer.Ordinal);
            var state = new OptimizerState(double.Parse(m["learning_rate"], CultureInfo.InvariantCulture), steps, tensors,
                long.Parse(m["step_count"], CultureInfo.InvariantCulture));
            return (m["type"], state);
        }
        catch (Exception ex) when (ex is KeyNotFoundException or FormatException or OverflowException or JsonException)
        {
            throw new InvalidDataException($"'{path}': the optimizer metadata is damaged: {ex.Message}", ex);
        }
    }

    /// <summary>Loads the state in <paramref name="path"/> into <paramref name="optimizer"/>, which must be of the same type.</summary>
    /// <exception cref="InvalidDataException">The file is damaged, of another optimizer type, or does not fit the parameters.</exception>
    public static void Load(Optimizer optimizer, string path)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        var (type, state) = Read(path);
        if (type != optimizer.GetType().Name)
            throw new InvalidDataException($"'{path}' holds the state of {type}, not of {optimizer.GetType().Name}.");
        try
        {
            optimizer.LoadStateDict(state);
        }
        catch (ArgumentException ex)
        {
            throw new InvalidDataException($"'{path}' does not fit the optimizer's parameters: {ex.Message}", ex);
        }
    }
}
