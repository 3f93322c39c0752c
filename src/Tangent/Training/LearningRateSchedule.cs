using System.Globalization;

namespace Tangent.Training;

/// <summary>
/// A learning-rate schedule: the factor on the base learning rate at step t of T (t = 0 is the first update).
/// Text forms (<c>--schedule</c>): <c>constant</c>, <c>cosine</c>, <c>step:EVERY:GAMMA</c>, <c>warmup:W</c> (linear warm-up over
/// W steps, then constant) and <c>warmup_cosine:W</c>.
/// </summary>
public abstract record LearningRateSchedule
{
    /// <summary>The factor at step <paramref name="step"/> of <paramref name="totalSteps"/>.</summary>
    public abstract double Factor(int step, int totalSteps);

    /// <summary>Factor 1 at every step.</summary>
    public static LearningRateSchedule Constant { get; } = new ConstantSchedule();

    /// <summary>Parses the text form.</summary>
    /// <exception cref="ArgumentException">Unknown name or bad numbers.</exception>
    public static LearningRateSchedule Parse(string text)
    {
        var parts = text.Trim().ToLowerInvariant().Replace('-', '_').Split(':');
        double Number(int i) => parts.Length > i && double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= 0 && double.IsFinite(v)
            ? v : throw new ArgumentException($"schedule '{text}': part {i + 1} must be a non-negative number");
        return parts[0] switch
        {
            "constant" when parts.Length == 1 => Constant,
            "cosine" when parts.Length == 1 => new CosineSchedule(0),
            "step" when parts.Length == 3 => new StepSchedule(Math.Max(1, (int)Number(1)), Number(2)),
            "warmup" when parts.Length == 2 => new WarmupSchedule((int)Number(1)),
            "warmup_cosine" when parts.Length == 2 => new CosineSchedule((int)Number(1)),
            _ => throw new ArgumentException($"unknown schedule '{text}'; use constant, cosine, step:EVERY:GAMMA, warmup:W or warmup_cosine:W"),
        };
    }
}

/// <summary>Factor 1.</summary>
public sealed record ConstantSchedule : LearningRateSchedule
{
    /// <inheritdoc />
    public override double Factor(int step, int totalSteps) => 1;
    /// <inheritdoc />
    public override string ToString() => "constant";
}

/// <summary>Linear warm-up from 1/W to 1 over <paramref name="Warmup"/> steps, then ½(1 + cos(π·s/S)) over the remaining S steps.</summary>
public sealed record CosineSchedule(int Warmup) : LearningRateSchedule
{
    /// <inheritdoc />
    public override double Factor(int step, int totalSteps)
    {
        if (step < Warmup) return (step + 1.0) / Warmup;
        int span = Math.Max(1, totalSteps - Warmup);
        return 0.5 * (1 + Math.Cos(Math.PI * Math.Min(step - Warmup, span) / span));
    }
    /// <inheritdoc />
    public override string ToString() => Warmup > 0 ? $"warmup_cosine:{Warmup}" : "cosine";
}

/// <summary>Multiplies the rate by <paramref name="Gamma"/> every <paramref name="Every"/> steps.</summary>
public sealed record StepSchedule(int Every, double Gamma) : LearningRateSchedule
{
    /// <inheritdoc />
    public override double Factor(int step, int totalSteps) => Math.Pow(Gamma, step / Every);
    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"step:{Every}:{Gamma}");
}

/// <summary>Linear warm-up from 1/W to 1 over <paramref name="Warmup"/> steps, then constant.</summary>
public sealed record WarmupSchedule(int Warmup) : LearningRateSchedule
{
    /// <inheritdoc />
    public override double Factor(int step, int totalSteps) => step < Warmup ? (step + 1.0) / Warmup : 1;
    /// <inheritdoc />
    public override string ToString() => $"warmup:{Warmup}";
}
