using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Tangent.Numerics;

/// <summary>
/// Vectorised elementary functions that <see cref="System.Numerics.Tensors.TensorPrimitives"/> does not vectorise
/// for double (arccos is the hot loop of every ReLU-family kernel). Each has a scalar twin used by the tests.
/// </summary>
public static class VectorMath
{
    // Rational minimax approximation of (asin(x) - x) / x^3 on [0, 0.25] in z = x^2 (the classical fdlibm
    // coefficients, a published numerical fact): asin(x) = x + x * R(z), R(z) = z P(z) / Q(z).
    private const double P0 = 1.66666666666666657415e-01, P1 = -3.25565818622400915405e-01, P2 = 2.01212532134862925881e-01,
        P3 = -4.00555345006794114027e-02, P4 = 7.91534994289814532176e-04, P5 = 3.47933107596021167570e-05;
    private const double Q1 = -2.40339491173441421878e+00, Q2 = 2.02094576023350569471e+00, Q3 = -6.88283971605453293030e-01,
        Q4 = 7.70381505559019352791e-02;

    /// <summary>
    /// arccos of each lane, for inputs in [-1, 1]. For |x| &lt;= 1/2, acos x = π/2 - asin x; above, the range reduction
    /// acos|x| = 2 asin(sqrt((1 - |x|) / 2)) keeps the argument small, where the rational approximation is accurate.
    /// Error about 1 ulp in double.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Acos<T>(Vector512<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var half = Vector512.Create(T.CreateTruncating(0.5));
        var ax = Vector512.Abs(x);
        var big = Vector512.GreaterThan(ax, half);
        var z = Vector512.ConditionalSelect(big, (Vector512<T>.One - ax) * half, x * x);
        var y = Vector512.ConditionalSelect(big, Vector512.Sqrt(z), x);
        var w = y + y * Ratio(z);
        var pi = Vector512.Create(T.Pi);
        var halfPi = Vector512.Create(T.Pi / T.CreateTruncating(2));
        var bigResult = Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512<T>.Zero), pi - (w + w), w + w);
        return Vector512.ConditionalSelect(big, bigResult, halfPi - w);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> Ratio<T>(Vector512<T> z) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var p = Vector512.Create(T.CreateTruncating(P5));
        p = p * z + Vector512.Create(T.CreateTruncating(P4));
        p = p * z + Vector512.Create(T.CreateTruncating(P3));
        p = p * z + Vector512.Create(T.CreateTruncating(P2));
        p = p * z + Vector512.Create(T.CreateTruncating(P1));
        p = p * z + Vector512.Create(T.CreateTruncating(P0));
        var q = Vector512.Create(T.CreateTruncating(Q4));
        q = q * z + Vector512.Create(T.CreateTruncating(Q3));
        q = q * z + Vector512.Create(T.CreateTruncating(Q2));
        q = q * z + Vector512.Create(T.CreateTruncating(Q1));
        q = q * z + Vector512<T>.One;
        return z * p / q;
    }

    /// <summary>Scalar twin of <see cref="Acos{T}(Vector512{T})"/> (same algorithm, one lane).</summary>
    public static double AcosScalar(double x)
    {
        double ax = Math.Abs(x);
        bool big = ax > 0.5;
        double z = big ? (1 - ax) * 0.5 : x * x;
        double y = big ? Math.Sqrt(z) : x;
        double p = ((((P5 * z + P4) * z + P3) * z + P2) * z + P1) * z + P0;
        double q = (((Q4 * z + Q3) * z + Q2) * z + Q1) * z + 1;
        double w = y + y * (z * p / q);
        return big ? (x < 0 ? Math.PI - 2 * w : 2 * w) : Math.PI / 2 - w;
    }
}
