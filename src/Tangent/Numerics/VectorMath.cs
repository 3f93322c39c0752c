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

    // Series of asin(y)/y in z = y² on z ≤ 1/4 and of cos(a) in a² on |a| ≤ π/2: the Taylor series (the double ones below
    // serve the scalar twin), their Chebyshev economisations computed in exact rational arithmetic
    // (14 and 10 terms for double, 7 and 6 for single, within 1e-18 and 2e-10 of the function), with no division:
    // the divider is the bottleneck of the classical rational form.
    private static readonly double[] AsinSeries =
    [
        1.0, 0.16666666666666805, 0.07499999999964854, 0.044642857178419156, 0.030381942570766977, 0.022372218063001936,
        0.017351566303470213, 0.013981286032120496, 0.011395613467359457, 0.010796509741233036, 0.0036517614894926143,
        0.02182695161550978, -0.021152330027065402, 0.03271610483098283,
    ];

    private static readonly double[] CosSeries =
    [
        1.0, -0.5, 0.04166666666666666, -0.001388888888888853, 2.4801587301492695e-05, -2.7557319209660613e-07,
        2.0876755667001345e-09, -1.147067018225455e-11, 4.7768726150917374e-14, -1.5119860790546356e-16,
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
        // Estrin's scheme: the same polynomial as Horner's rule in a third of the dependency depth, so the
        // kernel loops are not bound by the FMA latency.
        var z2 = z * z;
        var p0 = Vector512.FusedMultiplyAdd(Vector512.Create(0.16666666666666805), z, Vector512.Create(1.0));
        var p1 = Vector512.FusedMultiplyAdd(Vector512.Create(0.044642857178419156), z, Vector512.Create(0.07499999999964854));
        var p2 = Vector512.FusedMultiplyAdd(Vector512.Create(0.022372218063001936), z, Vector512.Create(0.030381942570766977));
        var p3 = Vector512.FusedMultiplyAdd(Vector512.Create(0.013981286032120496), z, Vector512.Create(0.017351566303470213));
        var p4 = Vector512.FusedMultiplyAdd(Vector512.Create(0.010796509741233036), z, Vector512.Create(0.011395613467359457));
        var p5 = Vector512.FusedMultiplyAdd(Vector512.Create(0.02182695161550978), z, Vector512.Create(0.0036517614894926143));
        var p6 = Vector512.FusedMultiplyAdd(Vector512.Create(0.03271610483098283), z, Vector512.Create(-0.021152330027065402));
        var z2n = z2 * z2;
        var q0_0 = Vector512.FusedMultiplyAdd(p1, z2, p0);
        var q0_1 = Vector512.FusedMultiplyAdd(p3, z2, p2);
        var q0_2 = Vector512.FusedMultiplyAdd(p5, z2, p4);
        var z2nn = z2n * z2n;
        var q1_0 = Vector512.FusedMultiplyAdd(q0_1, z2n, q0_0);
        var q1_1 = Vector512.FusedMultiplyAdd(p6, z2n, q0_2);
        var q2_0 = Vector512.FusedMultiplyAdd(q1_1, z2nn, q1_0);
        return q2_0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> AsinSeriesSingle(Vector512<float> z)
    {
        // Horner's rule: in single precision Estrin's scheme costs a little accuracy for little speed (short series).
        var p = Vector512.Create(0.03780636152096081f);
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(0.014198827965636922f));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(0.031884142973420244f));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(0.044505242015329426f));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(0.07500591501960488f));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(0.1666665721387794f));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(1.0000000002453038f));
        return p;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> CosSeriesDouble(Vector512<double> z)
    {
        // Horner's rule: a² reaches 2.47 here, where Estrin's large powers of z would cost accuracy.
        var p = Vector512.Create(-1.5119860790546356e-16);
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(4.7768726150917374e-14));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(-1.147067018225455e-11));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(2.0876755667001345e-09));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(-2.7557319209660613e-07));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(2.4801587301492695e-05));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(-0.001388888888888853));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(0.04166666666666666));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(-0.5));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(1.0));
        return p;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> CosSeriesSingle(Vector512<float> z)
    {
        // Horner's rule: in single precision Estrin's scheme costs a little accuracy for little speed (short series).
        var p = Vector512.Create(-2.6051076353347883e-07f);
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(2.4760135517200618e-05f));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(-0.001388836084255496f));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(0.04166663620893015f));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(-0.49999999356956465f));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(0.9999999997799042f));
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
        var asin = Asin(x, out var cos);
        return (asin, cos);
    }

    /// <summary>
    /// As <see cref="AsinCos{T}"/>, with the cosine as an out parameter: returning two vectors in a tuple makes the JIT
    /// round-trip them through the stack, which stalls store forwarding and cost 3x in the kernel loops.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Asin<T>(Vector512<T> x, out Vector512<T> cos) where T : unmanaged, IFloatingPointIeee754<T>
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
        cos = Vector512.Max(Series(a2, asin: false), Vector512<T>.Zero);
        return asin;
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
        double w = y * EstrinScalar(AsinSeries, z);
        double asinAbs = big ? Math.PI / 2 - 2 * w : w;
        double asin = x < 0 ? -asinAbs : asinAbs;
        double c = CosSeries[^1];
        for (int k = CosSeries.Length - 2; k >= 0; k--) c = Math.FusedMultiplyAdd(c, asin * asin, CosSeries[k]);
        return (asin, Math.Max(c, 0));
    }

    /// <summary>Σ c_k z^k in exactly the order of the double-precision vector arcsin series (Estrin's scheme), so the twins agree bit for bit.</summary>
    private static double EstrinScalar(double[] c, double z)
    {
        var level = new double[(c.Length + 1) / 2];
        for (int i = 0; i < c.Length; i += 2) level[i / 2] = i + 1 < c.Length ? Math.FusedMultiplyAdd(c[i + 1], z, c[i]) : c[i];
        int count = level.Length;
        double power = z * z;
        while (count > 1)
        {
            int next = 0;
            for (int i = 0; i < count; i += 2) level[next++] = i + 1 < count ? Math.FusedMultiplyAdd(level[i + 1], power, level[i]) : level[i];
            count = next;
            power *= power;
        }
        return level[0];
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
