namespace Tangent.Experiments;

/// <summary>
/// A mean over seeds with its standard error and a two-sided Student-t confidence interval:
/// mean ± t_{(1+c)/2, S−1} · s/√S, with s the sample standard deviation of the S values.
/// </summary>
/// <param name="Mean">The mean over seeds.</param>
/// <param name="StandardDeviation">The sample standard deviation (S − 1 in the denominator).</param>
/// <param name="StandardError">s/√S.</param>
/// <param name="Low">Lower end of the interval.</param>
/// <param name="High">Upper end of the interval.</param>
/// <param name="Count">S, the number of seeds.</param>
/// <param name="Confidence">The confidence level c.</param>
public sealed record SeedInterval(double Mean, double StandardDeviation, double StandardError, double Low, double High, int Count, double Confidence)
{
    /// <summary>The interval of <paramref name="values"/> (one per seed); with one value the bounds are NaN.</summary>
    public static SeedInterval Of(IReadOnlyList<double> values, double confidence = 0.95)
    {
        ArgumentNullException.ThrowIfNull(values);
        int s = values.Count;
        if (s == 0) throw new ArgumentException("no values", nameof(values));
        double mean = 0;
        foreach (double v in values) mean += v;
        mean /= s;
        if (s == 1) return new SeedInterval(mean, double.NaN, double.NaN, double.NaN, double.NaN, 1, confidence);
        double m2 = 0;
        foreach (double v in values) m2 += (v - mean) * (v - mean);
        double sd = Math.Sqrt(m2 / (s - 1)), se = sd / Math.Sqrt(s);
        double t = StudentQuantile(0.5 + confidence / 2, s - 1);
        return new SeedInterval(mean, sd, se, mean - t * se, mean + t * se, s, confidence);
    }

    /// <summary>Half the width of the interval.</summary>
    public double HalfWidth => (High - Low) / 2;

    /// <summary>The quantile function of Student's t with <paramref name="degrees"/> degrees of freedom.</summary>
    public static double StudentQuantile(double p, int degrees) => MathNet.Numerics.Distributions.StudentT.InvCDF(0, 1, degrees, p);
}
