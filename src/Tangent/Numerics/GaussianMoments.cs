namespace Tangent.Numerics;

/// <summary>Mixed moments of a bivariate Gaussian, the building block of polynomial activations' kernels.</summary>
public static class GaussianMoments
{
    /// <summary>
    /// E[u^j v^k] for (u, v) ~ N(0, [[v1, c], [c, v2]]). Expanding x^n = Σ_m h(n, m) He_m(x) in probabilists' Hermite
    /// polynomials, h(n, m) = n! / (m! ((n−m)/2)! 2^((n−m)/2)) for n − m even, and using E[He_m(X) He_l(Y)] = δ_ml m! ρ^m
    /// for standard normals of correlation ρ gives Σ_m h(j, m) h(k, m) m! c^m v1^((j−m)/2) v2^((k−m)/2), which never divides
    /// by a variance, so it holds at zero variance too.
    /// </summary>
    public static double Cross(int j, int k, double v1, double v2, double c)
    {
        if (j < 0 || k < 0) return 0;
        double sum = 0;
        for (int m = Math.Min(j, k); m >= 0; m--)
        {
            if (((j - m) & 1) != 0 || ((k - m) & 1) != 0) continue;
            sum += HermiteCoefficient(j, m) * HermiteCoefficient(k, m) * Factorial(m)
                   * Math.Pow(c, m) * Math.Pow(v1, (j - m) / 2) * Math.Pow(v2, (k - m) / 2);
        }
        return sum;
    }

    /// <summary>Coefficient of He_m in the expansion of x^n.</summary>
    public static double HermiteCoefficient(int n, int m)
    {
        if (m > n || ((n - m) & 1) != 0) return 0;
        int h = (n - m) / 2;
        return Factorial(n) / (Factorial(m) * Factorial(h) * Math.Pow(2, h));
    }

    /// <summary>n! as a double (exact up to 22!).</summary>
    public static double Factorial(int n)
    {
        double f = 1;
        for (int i = 2; i <= n; i++) f *= i;
        return f;
    }

    /// <summary>The probabilists' Hermite polynomial He_n(x) by its three-term recurrence.</summary>
    public static double Hermite(int n, double x)
    {
        if (n == 0) return 1;
        double prev = 1, cur = x;
        for (int k = 1; k < n; k++) (prev, cur) = (cur, x * cur - k * prev);
        return cur;
    }
}
