using Tangent.Numerics;
using Tangent.Specs;

namespace Tangent.Layers;

/// <summary>
/// φ(x) = max(x, 0)^n, whose kernel is the arc-cosine kernel of degree n (Cho &amp; Saul 2009):
/// E[φ(u)φ(v)] = (1/2π) (v1 v2)^(n/2) 2^n n! I_n(θ), where I_n(θ) = ∫ cos^n(φ) cos^n(φ − θ) dφ over the sector where both
/// factors are positive. Writing cos φ cos(φ − θ) = ½[cos θ + cos(2φ − θ)] and expanding binomially reduces I_n to
/// 2^(−n) Σ_k C(n, k) cos^(n−k) θ · F_k(π − θ), with F_k(x) = ∫₀^x cos^k by the usual reduction formula. The form is exact
/// at θ = 0, where neural-tangents returns NaN. Ṫ = n² E[max(u,0)^(n−1) max(v,0)^(n−1)].
/// </summary>
public sealed class RectifiedMonomial(int degree) : Activation
{
    /// <summary>The power n.</summary>
    public int Degree { get; } = degree;
    /// <inheritdoc />
    public override string TypeName => "RectifiedMonomial";
    /// <inheritdoc />
    public override IEnumerable<(string Key, object Value)> Parameters => [("degree", Degree)];
    internal static RectifiedMonomial FromArgs(LayerArgs args) => new(args.Integer("degree", 1, ["d"], min: 0, max: 20));

    /// <inheritdoc />
    public override double Apply(double x) => x > 0 ? Math.Pow(x, Degree) : 0;
    /// <inheritdoc />
    public override double Derivative(double x) => x > 0 && Degree > 0 ? Degree * Math.Pow(x, Degree - 1) : 0;

    /// <inheritdoc />
    public override (double Nngp, double Tdot) Pair(double v1, double v2, double cov)
    {
        double theta = Math.Acos(Correlation(v1, v2, cov));
        return Kernel(v1 * v2, theta);
    }

    /// <inheritdoc />
    public override (double Nngp, double Tdot) Self(double v) => Kernel(v * v, 0);

    private (double, double) Kernel(double v1v2, double theta)
    {
        double nngp = Expectation(Degree, v1v2, theta);
        double tdot = Degree == 0 ? 0 : Degree * Degree * Expectation(Degree - 1, v1v2, theta);
        return (nngp, tdot);
    }

    /// <summary>E[max(u,0)^n max(v,0)^n] for product of variances <paramref name="v1v2"/> and angle <paramref name="theta"/>.</summary>
    internal static double Expectation(int n, double v1v2, double theta)
    {
        double x = Math.PI - theta, cos = Math.Cos(theta), sinX = Math.Sin(x), cosX = Math.Cos(x);
        // F_k(x) = ∫_0^x cos^k t dt = cos^(k-1)(x) sin(x)/k + (k-1)/k F_(k-2)(x)
        Span<double> f = stackalloc double[n + 1];
        for (int k = 0; k <= n; k++)
            f[k] = k == 0 ? x : k == 1 ? sinX : Math.Pow(cosX, k - 1) * sinX / k + (k - 1.0) / k * f[k - 2];
        double integral = 0;
        for (int k = 0; k <= n; k++) integral += Binomial(n, k) * Math.Pow(cos, n - k) * f[k];
        integral /= Math.Pow(2, n);
        return Math.Pow(v1v2, n / 2.0) * Math.Pow(2, n) * GaussianMoments.Factorial(n) * integral / (2 * Math.PI);
    }

    private static double Binomial(int n, int k) => GaussianMoments.Factorial(n) / (GaussianMoments.Factorial(k) * GaussianMoments.Factorial(n - k));
}
