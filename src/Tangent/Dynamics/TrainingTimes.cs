using System.Globalization;
using Tangent.Kernels;

namespace Tangent.Dynamics;

/// <summary>
/// When to read off the predictions of gradient descent: continuous times t of gradient flow, or numbers of discrete
/// steps k with a finite learning rate (optionally with heavy-ball momentum). Infinity is allowed in both.
/// </summary>
public sealed class TrainingTimes
{
    private readonly double[] _values;

    private TrainingTimes(double[] values, bool discrete, double momentum)
    {
        _values = values;
        IsDiscrete = discrete;
        Momentum = momentum;
    }

    /// <summary>The times (or step counts), in the order given; <see cref="double.PositiveInfinity"/> for infinity.</summary>
    public IReadOnlyList<double> Values => _values;

    /// <summary>Number of times.</summary>
    public int Count => _values.Length;

    /// <summary>True for step counts of discrete gradient descent, false for continuous gradient-flow time.</summary>
    public bool IsDiscrete { get; }

    /// <summary>Heavy-ball momentum μ of discrete steps (0 for plain gradient descent).</summary>
    public double Momentum { get; }

    /// <summary>The value at <paramref name="index"/>.</summary>
    public double this[int index] => _values[index];

    /// <summary>Continuous gradient-flow times t ≥ 0 (infinity allowed).</summary>
    /// <exception cref="KernelRequestException">A time is negative or NaN, or none is given.</exception>
    public static TrainingTimes Continuous(params double[] times)
    {
        Validate(times, "time", integer: false);
        return new TrainingTimes((double[])times.Clone(), false, 0);
    }

    /// <summary>
    /// Step counts k ≥ 0 (whole numbers, or infinity) of gradient descent with a finite learning rate and heavy-ball
    /// momentum 0 ≤ μ &lt; 1: θ_{k+1} = θ_k − η ∇L + μ (θ_k − θ_{k−1}).
    /// </summary>
    /// <exception cref="KernelRequestException">A count is negative, fractional or NaN, or the momentum is outside [0, 1).</exception>
    public static TrainingTimes Steps(double[] steps, double momentum = 0)
    {
        Validate(steps, "step count", integer: true);
        if (!(momentum >= 0 && momentum < 1))
            throw new KernelRequestException(string.Create(CultureInfo.InvariantCulture, $"momentum must be in [0, 1), got {momentum}"));
        return new TrainingTimes((double[])steps.Clone(), true, momentum);
    }

    /// <summary>
    /// Parses a comma-separated list such as <c>0,0.5,1e3,inf</c> (<c>inf</c>, <c>infinity</c> or <c>∞</c> for infinity).
    /// </summary>
    /// <exception cref="KernelRequestException">An item is not a number.</exception>
    public static double[] ParseList(string text, string what = "--t")
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var values = new double[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            string p = parts[i];
            if (p.Equals("inf", StringComparison.OrdinalIgnoreCase) || p.Equals("infinity", StringComparison.OrdinalIgnoreCase) || p == "∞")
                values[i] = double.PositiveInfinity;
            else if (!double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]))
                throw new KernelRequestException($"{what}: '{p}' (item {i + 1} of '{text}') is not a number or 'inf'");
        }
        return values;
    }

    /// <summary>Whether any value is infinite.</summary>
    public bool HasInfinity => _values.Any(double.IsPositiveInfinity);

    /// <inheritdoc/>
    public override string ToString() =>
        (IsDiscrete ? "steps " : "t = ") + string.Join(", ", _values.Select(v => double.IsPositiveInfinity(v) ? "inf" : v.ToString("G6", CultureInfo.InvariantCulture)))
        + (IsDiscrete && Momentum != 0 ? string.Create(CultureInfo.InvariantCulture, $" (momentum {Momentum})") : "");

    private static void Validate(double[] values, string what, bool integer)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length == 0) throw new KernelRequestException($"no {what}s given");
        foreach (double v in values)
        {
            if (double.IsNaN(v) || v < 0)
                throw new KernelRequestException(string.Create(CultureInfo.InvariantCulture, $"{what} {v} is not allowed: {what}s are non-negative numbers or infinity"));
            if (integer && double.IsFinite(v) && (v != Math.Floor(v) || v > (1L << 53)))
                throw new KernelRequestException(string.Create(CultureInfo.InvariantCulture, $"{what} {v} is not a whole number of steps"));
        }
    }
}
