using System.Collections.Concurrent;

namespace Tangent.Numerics;

/// <summary>Gauss quadrature rules, computed once per order and cached.</summary>
public static class GaussRules
{
    private static readonly ConcurrentDictionary<int, (double[] Nodes, double[] Weights)> Legendre = new();
    private static readonly ConcurrentDictionary<int, (double[] Nodes, double[] Weights)> Rayleigh = new();

    /// <summary>Gauss–Legendre nodes and weights on [−1, 1], by Newton's method on P_n from Chebyshev-like starting points.</summary>
    public static (double[] Nodes, double[] Weights) GaussLegendre(int n) => Legendre.GetOrAdd(n, static n =>
    {
        var x = new double[n];
        var w = new double[n];
        for (int i = 0; i < (n + 1) / 2; i++)
        {
            double z = Math.Cos(Math.PI * (i + 0.75) / (n + 0.5)), dp = 0;
            for (int iter = 0; iter < 100; iter++)
            {
                double p0 = 1, p1 = z;
                for (int k = 2; k <= n; k++) (p0, p1) = (p1, ((2 * k - 1) * z * p1 - (k - 1) * p0) / k);
                if (n == 1) p1 = z;
                dp = n * (z * p1 - (n == 1 ? 1 : p0)) / (z * z - 1);
                double dz = p1 / dp;
                z -= dz;
                if (Math.Abs(dz) < 1e-16) break;
            }
            x[i] = -z; x[n - 1 - i] = z;
            w[i] = w[n - 1 - i] = 2 / ((1 - z * z) * dp * dp);
        }
        return (x, w);
    });

    /// <summary>
    /// Gauss nodes and weights for ∫₀^∞ g(r) r e^(−r²/2) dr (the radial measure of a standard 2-D Gaussian in polar
    /// coordinates; the weights sum to 1). Recurrence coefficients come from the discretised Stieltjes procedure
    /// (Gautschi) on a fine Gauss–Legendre discretisation of [0, 14], where the tail e^(−98) is negligible; the nodes are
    /// the eigenvalues of the Jacobi matrix (Golub–Welsch). Integrating in r itself, not in r², keeps the integrand
    /// smooth for activations that are not even.
    /// </summary>
    public static (double[] Nodes, double[] Weights) GaussRayleigh(int n) => Rayleigh.GetOrAdd(n, static n =>
    {
        const double R = 14;
        var (gx, gw) = GaussLegendre(Math.Max(400, 8 * n));
        int m = gx.Length;
        var t = new double[m];
        var mu = new double[m];
        for (int i = 0; i < m; i++)
        {
            t[i] = R * (gx[i] + 1) / 2;
            mu[i] = R / 2 * gw[i] * t[i] * Math.Exp(-t[i] * t[i] / 2);
        }
        // Stieltjes: orthonormal-free monic recurrence p_{k+1} = (t − α_k) p_k − β_k p_{k−1}.
        var alpha = new double[n];
        var beta = new double[n];
        var pPrev = new double[m];
        var p = new double[m];
        Array.Fill(p, 1.0);
        double normPrev = 1;
        for (int k = 0; k < n; k++)
        {
            double norm = 0, tnorm = 0;
            for (int i = 0; i < m; i++) { double q = p[i] * p[i] * mu[i]; norm += q; tnorm += t[i] * q; }
            alpha[k] = tnorm / norm;
            beta[k] = k == 0 ? norm : norm / normPrev;
            normPrev = norm;
            if (k == n - 1) break;
            for (int i = 0; i < m; i++)
            {
                double next = (t[i] - alpha[k]) * p[i] - (k == 0 ? 0 : beta[k]) * pPrev[i];
                pPrev[i] = p[i];
                p[i] = next;
            }
        }
        var jacobi = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(n, n);
        for (int k = 0; k < n; k++)
        {
            jacobi[k, k] = alpha[k];
            if (k + 1 < n) jacobi[k, k + 1] = jacobi[k + 1, k] = Math.Sqrt(beta[k + 1]);
        }
        var evd = jacobi.Evd(MathNet.Numerics.LinearAlgebra.Symmetricity.Symmetric);
        var nodes = new double[n];
        var weights = new double[n];
        for (int k = 0; k < n; k++)
        {
            nodes[k] = evd.EigenValues[k].Real;
            double v0 = evd.EigenVectors[0, k];
            weights[k] = beta[0] * v0 * v0;
        }
        Array.Sort(nodes, weights);
        return (nodes, weights);
    });
}
