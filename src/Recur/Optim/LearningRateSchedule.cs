using System.Globalization;

namespace Recur.Optim;

/// <summary>A learning rate as a function of the step; an optimizer with one sets its rate from it before every update.</summary>
public interface ILearningRateSchedule
{
    /// <summary>The rate for update <paramref name="step"/> (1 for the first).</summary>
    double At(long step);

    /// <summary>A one-line description.</summary>
    string Describe();
}

/// <summary>How the learning rate decays after warm-up.</summary>
public enum DecayKind
{
    /// <summary>Half a cosine from the peak down to <see cref="LearningRateSchedule.MinFactor"/> times the peak at the last step.</summary>
    Cosine,

    /// <summary>Multiplied by <see cref="LearningRateSchedule.StepFactor"/> every <see cref="LearningRateSchedule.StepEvery"/> steps after warm-up.</summary>
    Step,

    /// <summary>The peak, kept after warm-up.</summary>
    Constant,
}

/// <summary>
/// Linear warm-up then decay, a function of the step alone (so a resumed run gets the same rates). For step
/// s = 1, 2, ...: lr(s) = peak * s / W while s &lt;= W; then, with u = s - W, cosine:
/// peak * (m + (1 - m) * (1 + cos(pi * min(1, u / (N - W)))) / 2), and step: peak * f^floor(u / k).
/// </summary>
/// <param name="Peak">The rate after warm-up.</param>
/// <param name="WarmupSteps">W: steps of linear warm-up (0 for none).</param>
/// <param name="TotalSteps">N: the step at which the cosine reaches its floor.</param>
/// <param name="Decay">Cosine or step decay.</param>
/// <param name="MinFactor">m: the cosine's floor as a fraction of the peak.</param>
/// <param name="StepEvery">k: steps between step decays.</param>
/// <param name="StepFactor">f: the factor of each step decay.</param>
public sealed record LearningRateSchedule(double Peak, int WarmupSteps, int TotalSteps, DecayKind Decay = DecayKind.Cosine,
    double MinFactor = 0.1, int StepEvery = 1000, double StepFactor = 0.5) : ILearningRateSchedule
{
    /// <summary>The rate for step <paramref name="step"/> (1-based).</summary>
    public double At(long step)
    {
        if (step < 1) step = 1;
        if (step <= WarmupSteps) return Peak * step / WarmupSteps;
        long u = step - WarmupSteps;
        if (Decay == DecayKind.Step) return Peak * Math.Pow(StepFactor, u / Math.Max(1, StepEvery));
        if (Decay == DecayKind.Constant) return Peak;
        double progress = Math.Min(1.0, (double)u / Math.Max(1, TotalSteps - WarmupSteps));
        return Peak * (MinFactor + ((1 - MinFactor) * 0.5 * (1 + Math.Cos(Math.PI * progress))));
    }

    /// <summary>Parses "cosine" or "step" (any case).</summary>
    /// <exception cref="ArgumentException">Any other text.</exception>
    public static DecayKind ParseDecay(string text) => text?.ToLowerInvariant() switch
    {
        "cosine" => DecayKind.Cosine,
        "step" => DecayKind.Step,
        "constant" => DecayKind.Constant,
        _ => throw new ArgumentException($"the schedule must be cosine, step or constant, got '{text}'."),
    };

    /// <summary>A one-line description.</summary>
    public string Describe() => Decay switch
    {
        DecayKind.Cosine => string.Create(CultureInfo.InvariantCulture, $"warm-up {WarmupSteps} steps to {Peak:G3}, cosine to {Peak * MinFactor:G3} at step {TotalSteps}"),
        DecayKind.Step => string.Create(CultureInfo.InvariantCulture, $"warm-up {WarmupSteps} steps to {Peak:G3}, x{StepFactor:G3} every {StepEvery} steps"),
        _ => string.Create(CultureInfo.InvariantCulture, $"warm-up {WarmupSteps} steps to {Peak:G3}, then constant"),
    };
}
