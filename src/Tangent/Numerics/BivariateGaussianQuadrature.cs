namespace Tangent.Numerics;

/// <summary>
/// E[f(u) g(v)] for (u, v) ~ N(0, [[v1, c], [c, v2]]), by quadrature in polar coordinates of the underlying standard
/// Gaussian: u = √v1 r cos φ, v = √v2 r cos(φ − θ) with θ = arccos ρ. The circle is cut where u or v changes sign, so
/// activations with a kink at zero (ReLU, |x|, their derivatives' steps) are smooth on every piece: Gauss–Legendre in φ
/// and the Gauss rule of the measure r e^(−r²/2) dr in r then converge spectrally (ReLU is integrated exactly in r).
/// </summary>
public static class BivariateGaussianQuadrature
{
    /// <summary>The default order (points per radial rule and per angular sector).</summary>
    public const int DefaultOrder = 24;

    /// <summary>E[f(u) g(v)] with the given order.</summary>
    public static double Expectation(Func<double, double> f, Func<double, double> g, double v1, double v2, double cov, int order = DefaultOrder)
    {
        double a = Math.Sqrt(Math.Max(v1, 0)), b = Math.Sqrt(Math.Max(v2, 0));
        double s = a * b;
        double rho = s > 0 ? Math.Clamp(cov / s, -1.0, 1.0) : 0.0;
        return ExpectationAtAngle(f, g, a, b, Math.Acos(rho), order);
    }

    /// <summary>E[f(u) g(v)] for standard deviations <paramref name="a"/>, <paramref name="b"/> and angle <paramref name="theta"/> between them.</summary>
    public static double ExpectationAtAngle(Func<double, double> f, Func<double, double> g, double a, double b, double theta, int order = DefaultOrder)
    {
        var (rn, rw) = GaussRules.GaussRayleigh(order);
        var (ln, lw) = GaussRules.GaussLegendre(order);
        // Sign changes of cos φ (at π/2, 3π/2) and of cos(φ − θ) (at θ ± π/2), sorted on [π/2, 5π/2).
        Span<double> cuts = stackalloc double[5];
        cuts[0] = Math.PI / 2;
        cuts[1] = 3 * Math.PI / 2;
        cuts[2] = Wrap(theta + Math.PI / 2);
        cuts[3] = Wrap(theta + 3 * Math.PI / 2);
        cuts[..4].Sort();
        cuts[4] = cuts[0] + 2 * Math.PI;
        double total = 0;
        for (int sector = 0; sector < 4; sector++)
        {
            double lo = cuts[sector], hi = cuts[sector + 1];
            if (hi - lo < 1e-300) continue;
            double half = (hi - lo) / 2, mid = (hi + lo) / 2, part = 0;
            for (int i = 0; i < ln.Length; i++)
            {
                double phi = mid + half * ln[i];
                double cu = a * Math.Cos(phi), cv = b * Math.Cos(phi - theta), radial = 0;
                for (int k = 0; k < rn.Length; k++) radial += rw[k] * f(rn[k] * cu) * g(rn[k] * cv);
                part += lw[i] * radial;
            }
            total += half * part;
        }
        return total / (2 * Math.PI);
    }

    private static double Wrap(double phi)
    {
        // into [π/2, 5π/2)
        while (phi < Math.PI / 2) phi += 2 * Math.PI;
        while (phi >= 5 * Math.PI / 2) phi -= 2 * Math.PI;
        return phi;
    }
}
