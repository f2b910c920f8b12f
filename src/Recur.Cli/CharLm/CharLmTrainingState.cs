using System.Text.Json;

namespace Recur.Cli.CharLm;

/// <summary>
/// Where a training run stands, saved as <c>state.json</c> in every checkpoint: with the weights, the optimizer state
/// and the carried hidden state (<c>state.safetensors</c>) it is everything a resumed run needs to continue exactly.
/// </summary>
public sealed record CharLmTrainingState
{
    /// <summary>Optimizer steps taken.</summary>
    public long Step { get; init; }

    /// <summary>The batcher's position within each stream.</summary>
    public int DataPosition { get; init; }

    /// <summary>Completed passes over the training split.</summary>
    public long Epoch { get; init; }

    /// <summary>The generator of the dropout masks.</summary>
    public RandomState Rng { get; init; } = new(1, 2, 3, 4, false, 0);

    /// <summary>The best validation loss so far (null before the first evaluation).</summary>
    public double? BestValLoss { get; init; }

    /// <summary>The step of <see cref="BestValLoss"/>.</summary>
    public long BestStep { get; init; }

    /// <summary>Evaluations since the best one (for early stopping).</summary>
    public int EvalsSinceBest { get; init; }

    /// <summary>Sum of the step losses since the last evaluation.</summary>
    public double TrainLossSum { get; init; }

    /// <summary>Number of steps in <see cref="TrainLossSum"/>.</summary>
    public int TrainLossCount { get; init; }

    /// <summary>Training time so far, across resumes.</summary>
    public double ElapsedSeconds { get; init; }

    /// <summary>The data file the run was started with (a convenience for --resume).</summary>
    public string DataPath { get; init; } = "";

    /// <summary>Characters in the data file.</summary>
    public int DataLength { get; init; }

    /// <summary>SHA-256 of the data text (UTF-16 code units), to refuse resuming on different data.</summary>
    public string DataHash { get; init; } = "";

    /// <summary>The JSON form.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, CharLmConfig.Json);

    /// <summary>Reads the JSON form.</summary>
    /// <exception cref="InvalidDataException">Malformed JSON or impossible values.</exception>
    public static CharLmTrainingState FromJson(string json)
    {
        CharLmTrainingState? s;
        try
        {
            s = JsonSerializer.Deserialize<CharLmTrainingState>(json, CharLmConfig.Json);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"the training state is not valid JSON: {ex.Message}", ex);
        }
        if (s is null || s.Step < 0 || s.DataPosition < 0 || s.Epoch < 0 || s.TrainLossCount < 0 || s.Rng is null)
            throw new InvalidDataException("the training state holds impossible values.");
        return s;
    }

    /// <summary>The hash stored in <see cref="DataHash"/> for <paramref name="text"/>.</summary>
    public static string HashText(string text) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(text.AsSpan())));
}
