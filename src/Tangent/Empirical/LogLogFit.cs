namespace Tangent.Empirical;

/// <summary>
/// A least-squares line through (ln x, ln y): y ≈ e^Intercept · x^Slope, with the two-sided confidence interval of the
/// slope from Student's t with k − 2 degrees of freedom (NaN bounds with two points).
/// </summary>
public sealed record LogLogFit(double Slope, double Intercept, double SlopeLow, double SlopeHigh, double Confidence)
{
    /// <summary>Fits <paramref name="y"/> against <paramref name="x"/> (all positive).</summary>
    public static LogLogFit Fit(IReadOnlyList<double> x, IReadOnlyList<double> y, double confidence = 0.95)
    {
        int k = x.Count;
        if (k < 2 || y.Count != k) throw new ArgumentException("a log-log fit needs at least two points");
        if (x.Concat(y).Any(v => !(v > 0) || !double.IsFinite(v))) throw new ArgumentException("a log-log fit needs positive, finite values");
        var lx = x.Select(v => Math.Log(v)).ToArray();
        var ly = y.Select(v => Math.Log(v)).ToArray();
        double mx = lx.Average(), my = ly.Average();
        double sxx = lx.Sum(v => (v - mx) * (v - mx)), sxy = lx.Zip(ly).Sum(p => (p.First - mx) * (p.Second - my));
        double slope = sxy / sxx, intercept = my - slope * mx;
        if (k == 2) return new LogLogFit(slope, intercept, double.NaN, double.NaN, confidence);
        double ssr = lx.Zip(ly).Sum(p => Math.Pow(p.Second - (intercept + slope * p.First), 2));
        double se = Math.Sqrt(ssr / (k - 2) / sxx);
        double t = MathNet.Numerics.Distributions.StudentT.InvCDF(0, 1, k - 2, 0.5 + confidence / 2);
        return new LogLogFit(slope, intercept, slope - t * se, slope + t * se, confidence);
    }
}
