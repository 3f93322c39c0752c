using Xunit;
using Tangent.Linalg;

namespace Tangent.Tests.Linalg;

/// <summary>
/// Backend-independent checks of Cholesky and the symmetric eigendecomposition, with tolerances from the standard
/// backward-error results (Higham, "Accuracy and Stability of Numerical Algorithms", thms 10.3 and 10.4; for the
/// eigenproblem, backward stability plus Weyl's inequality). Shared by the per-backend theories and by the checks on
/// other native libraries.
/// </summary>
internal static class FactorizationChecks
{
    private const double U = Reference.EpsDouble;

    /// <summary>Factor a well-conditioned SPD matrix; check L's shape and |L L^T - A| &lt;= 2 gamma_{n+1} |L||L^T|.</summary>
    public static double[] CholeskyReconstructs(ILinearAlgebraBackend be, int n, int seed)
    {
        var a = Reference.SymmetricPositiveDefinite(new Random(seed), n);
        var l = (double[])a.Clone();
        for (int i = 0; i < n; i++)                                // only the lower triangle may be read
            for (int j = i + 1; j < n; j++)
                l[i * n + j] = double.NaN;

        Assert.True(be.TryCholesky(n, l), "an SPD matrix was reported not positive definite");

        for (int i = 0; i < n; i++)
        {
            Assert.True(l[i * n + i] > 0, $"L[{i},{i}] = {l[i * n + i]} is not positive");
            for (int j = i + 1; j < n; j++)
                Assert.True(l[i * n + j] == 0, $"L[{i},{j}] = {l[i * n + j]} above the diagonal is not zero");
        }
        // Factor backward error gamma_{n+1} |L||L^T|, plus the same again for forming L L^T here.
        double g = 2 * Reference.Gamma(n + 1, U);
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++)
            {
                double s = 0, sa = 0;
                for (int p = 0; p <= j; p++) { s += l[i * n + p] * l[j * n + p]; sa += Math.Abs(l[i * n + p] * l[j * n + p]); }
                double err = Math.Abs(s - a[i * n + j]);
                Assert.True(err <= g * sa, $"(L L^T - A)[{i},{j}] = {err:E3} > {g * sa:E3}");
            }
        return l;
    }

    /// <summary>
    /// Solve with several right-hand sides; check the componentwise residual
    /// |B - A X| &lt;= gamma_{3n+1} |L||L^T||X| (solve) + gamma_n |A||X| (forming A X here), per column.
    /// </summary>
    public static void CholeskySolveResidual(ILinearAlgebraBackend be, int n, int nrhs, int seed)
    {
        var rng = new Random(seed);
        var a = Reference.SymmetricPositiveDefinite(rng, n);
        var l = (double[])a.Clone();
        Assert.True(be.TryCholesky(n, l));
        var b = Reference.Random(rng, n, nrhs);
        var x = (double[])b.Clone();
        be.CholeskySolve(n, l, nrhs, x);

        // |L||L^T| once, to scale the bound.
        var llt = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int p = 0; p <= Math.Min(i, j); p++) s += Math.Abs(l[i * n + p] * l[j * n + p]);
                llt[i * n + j] = s;
            }
        double gSolve = Reference.Gamma(3 * n + 1, U), gForm = Reference.Gamma(n + 1, U);
        for (int r = 0; r < nrhs; r++)
            for (int i = 0; i < n; i++)
            {
                double ax = 0, bound = 0;
                for (int j = 0; j < n; j++)
                {
                    double xj = x[j * nrhs + r];
                    ax += a[i * n + j] * xj;
                    bound += gSolve * llt[i * n + j] * Math.Abs(xj) + gForm * Math.Abs(a[i * n + j] * xj);
                }
                double res = Math.Abs(b[i * nrhs + r] - ax);
                Assert.True(res <= bound, $"residual row {i}, rhs {r}: {res:E3} > {bound:E3}");
            }
        // And the solution really is the solution, not merely consistent with itself: X is O(1) here
        // (A = X X^T / k + I has eigenvalues >= 1 and B entries in [-1, 1]).
        Assert.All(x, v => Assert.True(Math.Abs(v) <= Math.Sqrt(n), $"implausible solution entry {v}"));
    }

    /// <summary>
    /// Decompose A = Q diag(lambda) Q^T with lambda known; only A's upper triangle is given (lower is NaN).
    /// Checks: w ascending; |w - sort(lambda)| &lt;= 10 (n + reflections) u ||A||_2 (backward stability + Weyl, plus
    /// the rounding in constructing A here); ||A V - V diag(w)||_max &lt;= c n u ||A||_2; ||V^T V - I||_max &lt;= c n u.
    /// </summary>
    public static void EigenDecomposes(ILinearAlgebraBackend be, double[] lambda, int seed)
    {
        int n = lambda.Length;
        var a = Reference.SymmetricWithSpectrum(new Random(seed), lambda);
        var v = (double[])a.Clone();
        for (int i = 0; i < n; i++)
            for (int j = 0; j < i; j++)
                v[i * n + j] = double.NaN;
        var w = new double[n];

        be.SymmetricEigen(n, v, w);

        double norm = lambda.Max(Math.Abs);
        double tol = 10 * n * U * norm;
        // The test's own A differs from Q diag(lambda) Q^T by the rounding of each Householder similarity applied
        // while building it (a few u ||A|| apiece): the eigenvalue comparison with the exact lambda must allow for it.
        double tolLambda = tol + 10 * Reference.Reflections * U * norm;
        for (int i = 1; i < n; i++) Assert.True(w[i - 1] <= w[i], $"eigenvalues not ascending at {i}: {w[i - 1]} > {w[i]}");
        var sorted = lambda.Order().ToArray();
        for (int i = 0; i < n; i++)
            Assert.True(Math.Abs(w[i] - sorted[i]) <= tolLambda, $"eigenvalue {i}: {w[i]:R} vs exact {sorted[i]:R} (tolerance {tolLambda:E2})");

        for (int i = 0; i < n; i++)
            for (int kk = 0; kk < n; kk++)
            {
                double av = 0;
                for (int j = 0; j < n; j++) av += a[i * n + j] * v[j * n + kk];
                double r = Math.Abs(av - v[i * n + kk] * w[kk]);
                Assert.True(r <= tol, $"(A V - V W)[{i},{kk}] = {r:E3} > {tol:E3}");
            }
        double tolOrtho = 10 * n * U;
        for (int p = 0; p < n; p++)
            for (int q = p; q < n; q++)
            {
                double d = 0;
                for (int i = 0; i < n; i++) d += v[i * n + p] * v[i * n + q];
                double err = Math.Abs(d - (p == q ? 1 : 0));
                Assert.True(err <= tolOrtho, $"(V^T V - I)[{p},{q}] = {err:E3} > {tolOrtho:E3}");
            }
    }
}
