namespace Tangent.Dynamics;

/// <summary>
/// What training does to one eigenmode of the training kernel. For a mode of eigenvalue λ with initial residual p
/// (the projection of f₀ − y), training leaves the residual <c>s · p</c> on the training set and moves the
/// function by <c>−c · p</c> along the mode's dual direction (so a test point x moves by <c>−K(x, X) v c p</c>),
/// with <c>s = 1 − λ c</c>:
/// <list type="bullet">
/// <item>gradient flow (Jacot et al. 2018; Lee et al. 2019, eq. 9): s = exp(−a λ t), c = (1 − exp(−a λ t)) / λ;</item>
/// <item>k steps of gradient descent: s = (1 − a λ)^k, c = (1 − s) / λ;</item>
/// <item>k steps with heavy-ball momentum μ: c_{k+1} = (1 + μ − a λ) c_k − μ c_{k−1} + a, c₀ = c₋₁ = 0;</item>
/// </list>
/// where a = η / (N·O) is the learning rate of the loss ½·mean over the N·O targets. c is finite as λ → 0 (it tends to
/// a t, or a k), so singular kernels are fine at finite times.
/// </summary>
internal static class ModeFilter
{
    /// <summary>(s, c) of gradient flow at time <paramref name="t"/> (finite) with rate <paramref name="a"/>.</summary>
    public static (double S, double C) Flow(double lambda, double a, double t)
    {
        double x = a * lambda * t;
        double s = Math.Exp(-x);
        // −expm1(−x)/λ keeps full relative accuracy for small x, where 1 − exp(−x) would cancel.
        double c = lambda == 0 ? a * t : -ExpM1(-x) / lambda;
        return (s, c);
    }

    /// <summary>(s, c) after <paramref name="k"/> (finite) steps of gradient descent with rate <paramref name="a"/> and momentum <paramref name="mu"/>.</summary>
    public static (double S, double C) Steps(double lambda, double a, double k, double mu)
    {
        if (k == 0) return (1, 0);
        if (mu == 0)
        {
            double q = a * lambda;
            if (lambda == 0) return (1, a * k);
            if (Math.Abs(q) < 0.5)
            {
                // (1 − q)^k = exp(k log1p(−q)): accurate for the slow modes, where 1 − (1 − q)^k would cancel.
                double e = k * LogOnePlus(-q);
                return (Math.Exp(e), -ExpM1(e) / lambda);
            }
            double s = Math.Pow(1 - q, k);
            return (s, (1 - s) / lambda);
        }
        // Affine two-term recurrence: (c_{k+1}, c_k, 1) = M (c_k, c_{k−1}, 1), M = [[1+μ−aλ, −μ, a], [1, 0, 0], [0, 0, 1]].
        // Raise M to the k-th power by squaring: exact in exact arithmetic, O(log k), no division by λ.
        var m = new Matrix3(1 + mu - a * lambda, -mu, a, 1, 0, 0, 0, 0, 1);
        var power = Matrix3.Identity;
        for (ulong n = (ulong)k; n > 0; n >>= 1)
        {
            if ((n & 1) != 0) power = power * m;
            m = m * m;
        }
        double ck = power.M02;     // M^k applied to (0, 0, 1), first component
        return (1 - lambda * ck, ck);
    }

    /// <summary>e^x − 1 without cancellation for small |x| (.NET's double.ExpM1 is computed as Exp(x) − 1, which cancels).</summary>
    internal static double ExpM1(double x)
    {
        if (Math.Abs(x) > 0.5) return Math.Exp(x) - 1;
        // Kahan's trick: u = e^x rounded; (u − 1) · x / log u corrects the rounding of u to full relative accuracy.
        double u = Math.Exp(x);
        if (u == 1) return x;
        double um1 = u - 1;
        return um1 * x / Math.Log(u);
    }

    /// <summary>log(1 + x) without cancellation for small |x| (Kahan's trick, as for <see cref="ExpM1"/>).</summary>
    internal static double LogOnePlus(double x)
    {
        double u = 1 + x;
        if (u == 1) return x;
        return Math.Log(u) * x / (u - 1);
    }

    private readonly record struct Matrix3(double M00, double M01, double M02, double M10, double M11, double M12, double M20, double M21, double M22)
    {
        public static Matrix3 Identity => new(1, 0, 0, 0, 1, 0, 0, 0, 1);

        public static Matrix3 operator *(Matrix3 a, Matrix3 b) => new(
            a.M00 * b.M00 + a.M01 * b.M10 + a.M02 * b.M20, a.M00 * b.M01 + a.M01 * b.M11 + a.M02 * b.M21, a.M00 * b.M02 + a.M01 * b.M12 + a.M02 * b.M22,
            a.M10 * b.M00 + a.M11 * b.M10 + a.M12 * b.M20, a.M10 * b.M01 + a.M11 * b.M11 + a.M12 * b.M21, a.M10 * b.M02 + a.M11 * b.M12 + a.M12 * b.M22,
            a.M20 * b.M00 + a.M21 * b.M10 + a.M22 * b.M20, a.M20 * b.M01 + a.M21 * b.M11 + a.M22 * b.M21, a.M20 * b.M02 + a.M21 * b.M12 + a.M22 * b.M22);
    }
}
