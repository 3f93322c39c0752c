using System.Numerics;

namespace Tangent.Gpu;

/// <summary>
/// Constants of one precision for code that ILGPU compiles to the device. Generic maths works there (operators,
/// <c>T.Sqrt</c>, <c>T.Abs</c>), but <c>T.CreateTruncating</c> does not (it branches on <c>typeof</c>), so constants come
/// from this static abstract conversion, which the compiler folds after inlining.
/// </summary>
internal interface IPrecision<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The constant <paramref name="x"/> in precision T.</summary>
    static abstract T Of(double x);

    /// <summary>Four spacings of the numbers just below 1: correlations closer than this to ±1 are taken as ±1 (as the CPU engine does).</summary>
    static abstract T Snap { get; }
}

/// <summary>float64 on the device.</summary>
internal struct F64 : IPrecision<double>
{
    public static double Of(double x) => x;
    public static double Snap => 4.440892098500626e-16;
}

/// <summary>float32 on the device.</summary>
internal struct F32 : IPrecision<float>
{
    public static float Of(double x) => (float)x;
    public static float Snap => 2.3841858e-07f; // 4 · 2^-24
}

/// <summary>
/// Scalar maths for device kernels, written once for both precisions. The arcsine is our own (fdlibm's rational
/// approximation, ≤ 2 ulp) so that the same code runs on the CUDA backend, which has no arcsine without libdevice,
/// and on ILGPU's CPU accelerator in tests. Avoids <c>T.CopySign</c>: ILGPU 1.5.3 emits PTX <c>copysign</c> with its
/// operands swapped (seen in the generated PTX), so signs are restored with a comparison.
/// </summary>
internal static class DeviceMath
{
    /// <summary>
    /// arcsin x for x in [-1, 1], and <paramref name="cos"/> = sqrt(1 − x²) (the sine of arccos x, which the arc-cosine
    /// kernels need too). Below 0.5 in magnitude: x + x·R(x²); above: π/2 − 2(s + s·R(t)) with t = (1 − |x|)/2, s = √t,
    /// which stays accurate as |x| → 1 where arcsin's slope is infinite.
    /// </summary>
    public static T Asin<T, P>(T x, out T cos) where T : unmanaged, IFloatingPointIeee754<T> where P : struct, IPrecision<T>
    {
        T a = T.Abs(x);
        T one = T.One;
        cos = T.Sqrt((one - a) * (one + a));
        if (a <= P.Of(0.5))
        {
            T t = x * x;
            return x + x * Rational<T, P>(t);
        }
        T w = (one - a) * P.Of(0.5);
        T s = T.Sqrt(w);
        T y = P.Of(1.5707963267948966) - P.Of(2.0) * (s + s * Rational<T, P>(w));
        return x < T.Zero ? -y : y;
    }

    /// <summary>fdlibm's R(t) = t·P(t)/Q(t) with asin(x) = x + x·R(x²) on [0, 0.5].</summary>
    private static T Rational<T, P>(T t) where T : unmanaged, IFloatingPointIeee754<T> where P : struct, IPrecision<T>
    {
        T p = t * (P.Of(1.66666666666666657415e-01) + t * (P.Of(-3.25565818622400915405e-01) + t * (P.Of(2.01212532134862925881e-01)
            + t * (P.Of(-4.00555345006794114027e-02) + t * (P.Of(7.91534994289814532176e-04) + t * P.Of(3.47933107596021167570e-05))))));
        T q = T.One + t * (P.Of(-2.40339491173441421878e+00) + t * (P.Of(2.02094576023350569471e+00)
            + t * (P.Of(-6.88283971605453293030e-01) + t * P.Of(7.70381505559019352791e-02))));
        return p / q;
    }

    /// <summary>
    /// The correlation c·(1/√v1)·(1/√v2) as the CPU engine forms it (reciprocal roots, zero for a point of zero
    /// variance), set to exactly ±1 within <see cref="IPrecision{T}.Snap"/> of ±1 (a point paired with itself must land
    /// on θ = 0), and clamped.
    /// </summary>
    public static T Correlation<T, P>(T c, T inv1, T inv2) where T : unmanaged, IFloatingPointIeee754<T> where P : struct, IPrecision<T>
    {
        T rho = c * (inv1 * inv2);
        T limit = T.One - P.Snap;
        if (rho >= limit) return T.One;
        if (rho <= -limit) return -T.One;
        return rho;
    }

    /// <summary>1/√v, or 0 when v is not positive.</summary>
    public static T InverseRoot<T>(T v) where T : unmanaged, IFloatingPointIeee754<T> =>
        v > T.Zero ? T.One / T.Sqrt(v) : T.Zero;

    /// <summary>√max(v, 0).</summary>
    public static T Root<T>(T v) where T : unmanaged, IFloatingPointIeee754<T> => v > T.Zero ? T.Sqrt(v) : T.Zero;

    /// <summary>True when x is neither NaN nor infinite (x − x is 0 exactly then).</summary>
    public static bool IsFinite<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => x - x == T.Zero;
}
