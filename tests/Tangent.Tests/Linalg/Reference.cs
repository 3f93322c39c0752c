using Xunit;
namespace Tangent.Tests.Linalg;

/// <summary>
/// The scalar twins the backends are checked against: naive loops, accumulated in double, plus the classical
/// rounding-error bounds that say how far an exact-to-rounding result may lie from them.
/// </summary>
internal static class Reference
{
    public const double EpsDouble = 1.1102230246251565e-16;   // unit roundoff 2^-53
    public const double EpsFloat = 5.9604644775390625e-8;     // 2^-24

    /// <summary>Higham's gamma_n = n u / (1 - n u): the bound on relative error of an n-term recursive sum.</summary>
    public static double Gamma(int n, double u) => n * u / (1 - n * u);

    /// <summary>A matrix of uniform random entries in [-1, 1).</summary>
    public static double[] Random(Random rng, int rows, int cols)
    {
        var x = new double[rows * cols];
        for (int i = 0; i < x.Length; i++) x[i] = 2 * rng.NextDouble() - 1;
        return x;
    }

    public static float[] ToFloat(double[] x) => Array.ConvertAll(x, v => (float)v);
    public static double[] ToDouble(float[] x) => Array.ConvertAll(x, v => (double)v);

    /// <summary>
    /// Naive C = alpha op(A) op(B) + beta C0 with element access functions, and alongside it the magnitude
    /// |alpha| sum |a||b| + |beta||c0| that scales the rounding error of any summation order.
    /// </summary>
    public static (double[] C, double[] Magnitude) Gemm(int m, int n, int k, double alpha, Func<int, int, double> a,
                                                        Func<int, int, double> b, double beta, double[]? c0)
    {
        var c = new double[m * n];
        var mag = new double[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0, sa = 0;
                for (int p = 0; p < k; p++)
                {
                    double t = a(i, p) * b(p, j);
                    s += t;
                    sa += Math.Abs(t);
                }
                double old = beta == 0 || c0 is null ? 0 : beta * c0[i * n + j];
                c[i * n + j] = alpha * s + old;
                mag[i * n + j] = Math.Abs(alpha) * sa + Math.Abs(old);
            }
        return (c, mag);
    }

    /// <summary>
    /// Asserts |actual - expected| &lt;= gamma_{k+2}(u) * magnitude elementwise (k+2: k products and sums, then the
    /// alpha and beta terms) plus the reference's own error in double. Reports the worst element when it fails.
    /// </summary>
    public static void AssertClose(ReadOnlySpan<double> actual, double[] expected, double[] magnitude, int k, double u,
                                   Func<int, bool>? include = null)
    {
        double g = Gamma(k + 2, u) + Gamma(k + 2, EpsDouble);
        for (int i = 0; i < expected.Length; i++)
        {
            if (include is not null && !include(i)) continue;
            double err = Math.Abs(actual[i] - expected[i]);
            double tol = g * magnitude[i];
            if (!(err <= tol))
                Assert.Fail($"element {i}: got {actual[i]:R}, expected {expected[i]:R}, |error| {err:E3} > tolerance {tol:E3}");
        }
    }

    /// <summary>How many random Householder reflections <see cref="SymmetricWithSpectrum"/> applies.</summary>
    public const int Reflections = 8;

    /// <summary>A symmetric matrix with the given eigenvalues: diag(lambda) under random Householder similarities.</summary>
    public static double[] SymmetricWithSpectrum(Random rng, double[] lambda)
    {
        const int reflections = Reflections;
        int n = lambda.Length;
        var a = new double[n * n];
        for (int i = 0; i < n; i++) a[i * n + i] = lambda[i];
        var v = new double[n];
        var av = new double[n];
        for (int r = 0; r < reflections; r++)
        {
            // H = I - 2 v v^T / (v^T v) is orthogonal and symmetric; H A H keeps the spectrum.
            double vv = 0;
            for (int i = 0; i < n; i++) { v[i] = 2 * rng.NextDouble() - 1; vv += v[i] * v[i]; }
            double s = Math.Sqrt(2 / vv);
            for (int i = 0; i < n; i++) v[i] *= s;                 // now H = I - v v^T
            // H A H = A - v (A v)^T - (A v) v^T + (v^T A v) v v^T
            double vav = 0;
            for (int i = 0; i < n; i++)
            {
                double t = 0;
                for (int j = 0; j < n; j++) t += a[i * n + j] * v[j];
                av[i] = t;
                vav += v[i] * t;
            }
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                    a[i * n + j] += -v[i] * av[j] - av[i] * v[j] + vav * v[i] * v[j];
            for (int i = 0; i < n; i++)                          // exact symmetry, whatever the rounding did
                for (int j = 0; j < i; j++)
                    a[i * n + j] = a[j * n + i];
        }
        return a;
    }

    /// <summary>A well-conditioned symmetric positive definite matrix: X X^T / k + I.</summary>
    public static double[] SymmetricPositiveDefinite(Random rng, int n)
    {
        int k = n + 3;
        var x = Random(rng, n, k);
        var a = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++)
            {
                double s = 0;
                for (int p = 0; p < k; p++) s += x[i * k + p] * x[j * k + p];
                a[i * n + j] = a[j * n + i] = s / k + (i == j ? 1 : 0);
            }
        return a;
    }
}
