using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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

    // Taylor coefficients of asin(y)/y in z = y² (exact rationals rounded to double): on z ≤ 1/4, 22 terms reach double
    // precision and 10 reach single, with no division (the divider is the bottleneck of the rational form).
    private static readonly double[] AsinSeries =
    [
        1.0, 0.16666666666666666, 0.075, 0.044642857142857144, 0.030381944444444444, 0.022372159090909092,
        0.017352764423076924, 0.01396484375, 0.011551800896139705, 0.009761609529194078, 0.008390335809616815,
        0.0073125258735988454, 0.006447210311889649, 0.005740037670841924, 0.005153309682319905, 0.004660143486915096,
        0.004240907093679363, 0.003880964558837669, 0.0035692053938259347, 0.003297059503473485, 0.0030578216492580306,
        0.002846178401108942,
    ];

    // Taylor coefficients of cos(a) in a²: on |a| ≤ π/2, 12 terms give 1e-16 absolute error, 7 give 6e-9.
    private static readonly double[] CosSeries =
    [
        1.0, -0.5, 0.041666666666666664, -0.001388888888888889, 2.48015873015873e-05, -2.755731922398589e-07,
        2.08767569878681e-09, -1.1470745597729725e-11, 4.779477332387385e-14, -1.5619206968586225e-16, 4.110317623312165e-19,
        -8.896791392450574e-22,
    ];

    /// <summary>The asin or cos series, unrolled with literal coefficients (the JIT keeps them in registers).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> Series<T>(Vector512<T> z, bool asin) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double)) return (asin ? AsinSeriesDouble(z.AsDouble()) : CosSeriesDouble(z.AsDouble())).As<double, T>();
        if (typeof(T) == typeof(float)) return (asin ? AsinSeriesSingle(z.AsSingle()) : CosSeriesSingle(z.AsSingle())).As<float, T>();
        throw new NotSupportedException();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> AsinSeriesDouble(Vector512<double> z)
    {
        var p = Vector512.Create(0.002846178401108942);
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(0.0030578216492580306));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(0.003297059503473485));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(0.0035692053938259347));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(0.003880964558837669));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(0.004240907093679363));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(0.004660143486915096));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(0.005153309682319905));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(0.005740037670841924));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(0.006447210311889649));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(0.0073125258735988454));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(0.008390335809616815));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(0.009761609529194078));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(0.011551800896139705));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(0.01396484375));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(0.017352764423076924));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(0.022372159090909092));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(0.030381944444444444));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(0.044642857142857144));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(0.075));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(0.16666666666666666));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(1.0));
        return p;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> AsinSeriesSingle(Vector512<float> z)
    {
        var p = Vector512.Create(0.009761609529194078f);
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(0.011551800896139705f));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(0.01396484375f));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(0.017352764423076924f));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(0.022372159090909092f));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(0.030381944444444444f));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(0.044642857142857144f));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(0.075f));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(0.16666666666666666f));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(1.0f));
        return p;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> CosSeriesDouble(Vector512<double> z)
    {
        var p = Vector512.Create(-8.896791392450574e-22);
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(4.110317623312165e-19));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(-1.5619206968586225e-16));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(4.779477332387385e-14));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(-1.1470745597729725e-11));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(2.08767569878681e-09));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(-2.755731922398589e-07));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(2.48015873015873e-05));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(-0.001388888888888889));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(0.041666666666666664));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(-0.5));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(1.0));
        return p;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> CosSeriesSingle(Vector512<float> z)
    {
        var p = Vector512.Create(2.08767569878681e-09f);
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(-2.755731922398589e-07f));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(2.48015873015873e-05f));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(-0.001388888888888889f));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(0.041666666666666664f));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(-0.5f));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(1.0f));
        return p;
    }

    /// <summary>
    /// arcsin of each lane in [−1, 1] and the cosine of the result (= √(1 − x²)), the two quantities arc-cosine kernels
    /// need (arcsin x = π/2 − θ, and sin θ = cos(arcsin x)). For |x| ≤ 1/2 a series in x²; above, the reduction
    /// arcsin|x| = π/2 − 2 arcsin √((1 − |x|)/2). The cosine is a series in (arcsin x)², accurate in absolute terms,
    /// which is what the kernels need (sin θ is added to terms of order one). Division-free; one square root, by
    /// <see cref="Sqrt{T}"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector512<T> Asin, Vector512<T> Cos) AsinCos<T>(Vector512<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var half = Vector512.Create(T.CreateTruncating(0.5));
        var ax = Vector512.Abs(x);
        var big = Vector512.GreaterThan(ax, half);
        var z = Vector512.ConditionalSelect(big, (Vector512<T>.One - ax) * half, x * x);
        var y = Vector512.ConditionalSelect(big, Sqrt(z), ax);
        var w = y * Series(z, asin: true);
        var halfPi = Vector512.Create(T.Pi / T.CreateTruncating(2));
        var asinAbs = Vector512.ConditionalSelect(big, halfPi - (w + w), w);
        var asin = Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512<T>.Zero), -asinAbs, asinAbs);
        var a2 = asin * asin;
        return (asin, Vector512.Max(Series(a2, asin: false), Vector512<T>.Zero));
    }

    /// <summary>a·b + c in one rounding, for double and float lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Fma<T>(Vector512<T> a, Vector512<T> b, Vector512<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double)) return Vector512.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
        if (typeof(T) == typeof(float)) return Vector512.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        return a * b + c;
    }

    /// <summary>Scalar twin of <see cref="AsinCos{T}"/>.</summary>
    public static (double Asin, double Cos) AsinCosScalar(double x)
    {
        double ax = Math.Abs(x);
        bool big = ax > 0.5;
        double z = big ? (1 - ax) * 0.5 : x * x;
        double y = big ? Math.Sqrt(z) : ax;
        double p = AsinSeries[^1];
        for (int k = AsinSeries.Length - 2; k >= 0; k--) p = Math.FusedMultiplyAdd(p, z, AsinSeries[k]);
        double w = y * p;
        double asinAbs = big ? Math.PI / 2 - 2 * w : w;
        double asin = x < 0 ? -asinAbs : asinAbs;
        double c = CosSeries[^1];
        for (int k = CosSeries.Length - 2; k >= 0; k--) c = Math.FusedMultiplyAdd(c, asin * asin, CosSeries[k]);
        return (asin, Math.Max(c, 0));
    }

    /// <summary>
    /// √x for x ≥ 0 from the AVX-512 14-bit reciprocal square root and two Newton steps (14 → 28 → 56 bits), which keeps
    /// the square-root unit, the bottleneck of kernel loops, free; 0 maps to 0. Falls back to the exact instruction.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Sqrt<T>(Vector512<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!Avx512F.IsSupported) return Vector512.Sqrt(x);
        Vector512<T> r;
        if (typeof(T) == typeof(double)) r = Avx512F.ReciprocalSqrt14(x.AsDouble()).As<double, T>();
        else if (typeof(T) == typeof(float)) r = Avx512F.ReciprocalSqrt14(x.AsSingle()).As<float, T>();
        else return Vector512.Sqrt(x);
        var half = Vector512.Create(T.CreateTruncating(0.5));
        var threeHalves = Vector512.Create(T.CreateTruncating(1.5));
        var hx = half * x;
        r = r * (threeHalves - hx * r * r);
        if (typeof(T) == typeof(double)) r = r * (threeHalves - hx * r * r);
        // One final correction of the square root itself (Heron) recovers the last bits: s' = s + (x − s²)·r/2.
        var s = x * r;
        s = Fma(Fma(-s, s, x), half * r, s);
        return Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<T>.Zero), s, Vector512<T>.Zero);
    }
}
