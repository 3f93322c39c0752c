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
    // Series of asin(y)/y and of √(1 − z), both in z = y² on z ≤ 1/4: Chebyshev economisations (14 and 13 terms for
    // double, 7 and 6 for single; the asin one computed in exact rational arithmetic, the square-root one by
    // scripts/series_coefficients.py), evaluated without division, the divider and the square-root unit being the
    // bottleneck of the classical rational forms.
    private static readonly double[] AsinCoefficients =
    [
        1.0, 0.16666666666666805, 0.07499999999964854, 0.044642857178419156, 0.030381942570766977, 0.022372218063001936,
        0.017351566303470213, 0.013981286032120496, 0.011395613467359457, 0.010796509741233036, 0.0036517614894926143,
        0.02182695161550978, -0.021152330027065402, 0.03271610483098283,
    ];

    private static readonly double[] SqrtOneMinusCoefficients =
    [
        1.0, -0.4999999999999815, -0.1250000000041244, -0.06249999963931342, -0.0390625163329017, -0.02734331164089207,
        -0.020515325325567758, -0.016027596302914372, -0.01375441009387522, -0.007446828865423663, -0.021194963521473254,
        0.017190548009281534, -0.034308838583332474,
    ];

    /// <summary>
    /// arcsin of each lane in [−1, 1] and √(1 − x²) (= cos(arcsin x)), the two quantities arc-cosine kernels need
    /// (arcsin x = π/2 − θ, and sin θ = √(1 − x²)).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector512<T> Asin, Vector512<T> Cos) AsinCos<T>(Vector512<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var asin = Asin(x, out var cos);
        return (asin, cos);
    }

    /// <summary>
    /// arcsin of each lane in [−1, 1], and √(1 − x²) as <paramref name="cos"/>. For |x| ≤ 1/2 a series in z = x²; above,
    /// the reduction arcsin|x| = π/2 − 2 arcsin y with y = √z, z = (1 − |x|)/2, which keeps z ≤ 1/4. The same z gives
    /// the cosine without a second square root: 1 − x² = 1 − z below 1/2, and = 4z(1 − z) above, so
    /// √(1 − x²) = √(1 − z)·(1 or 2y), with √(1 − z) a short series evaluated alongside the arcsin one. The dependency
    /// chain is about 17 operations; it was 35 with the cosine as a series in arcsin², which left the kernel loops
    /// waiting on latency (67 → 31 ns per vector of 8 doubles, measured).
    /// </summary>
    /// <remarks>The cosine comes out as an out parameter: returning two vectors in a tuple makes the JIT round-trip them
    /// through the stack, which stalls store forwarding and cost 3x in the kernel loops.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Asin<T>(Vector512<T> x, out Vector512<T> cos) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var ax = Vector512.Abs(x);
        var big = Vector512.GreaterThan(ax, C<T>(0.5));
        // (1 − |x|)/2 as one fused multiply-add: exact on [1/2, 1] (Sterbenz), the same value as the two-step form.
        var z = Select(big, Fma(C<T>(-0.5), ax, C<T>(0.5)), ax * ax);
        var root = Sqrt(z);
        var asinAbs = AsinOfMagnitude<Pack1<T>, T>(new(ax), new(z), new(root), out var c);
        cos = c.V;
        return Vector512.CopySign(asinAbs.V, x);
    }

    /// <summary>
    /// arcsin|ρ| and √(1 − ρ²) of a correlation from <paramref name="magnitude"/> = |ρ|, for the arc-cosine kernels: as
    /// <see cref="Asin{T}"/>, except that |ρ| within <paramref name="snapZ"/>·2 of 1, or above it (from rounding), counts
    /// as exactly 1 (θ = 0). An image position or a point paired with itself has correlation 1 up to rounding, and arccos
    /// is so ill-conditioned there that one ulp of ρ moves the NTK's derivative term by 1e-8 relative.
    /// </summary>
    /// <remarks>
    /// The snap works on z = (1 − |ρ|)/2 (exact), replacing it by a tiny positive number rather than 0, so the square root
    /// needs no zero test: arcsin then rounds to π/2 exactly, and the cosine comes out as 2e-150 (double; 2e-15 in
    /// float) where it is 0, invisible next to the kernel's other term (π/2 here). Eight operations fewer than snapping ρ
    /// and calling <see cref="Asin{T}"/>, in the hot loop of every ReLU-family kernel.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<T> AsinOfCorrelation<T>(Vector512<T> magnitude, Vector512<T> snapZ, out Vector512<T> cos) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var asinAbs = AsinOfCorrelation<Pack1<T>, T>(new(magnitude), new(snapZ), out var c);
        cos = c.V;
        return asinAbs.V;
    }

    /// <summary><see cref="AsinOfCorrelation{T}"/> on one or two vectors at once (see <see cref="IVectorPack{TSelf, T}"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static TV AsinOfCorrelation<TV, T>(TV magnitude, TV snapZ, out TV cos)
        where TV : struct, IVectorPack<TV, T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        var half = C<TV, T>(0.5);
        var zBig = TV.Fma(C<TV, T>(-0.5), magnitude, half);
        zBig = TV.SelectAtMost(zBig, snapZ, C<TV, T>(typeof(T) == typeof(double) ? 1e-300 : 1e-30), zBig);
        var z = TV.SelectAbove(magnitude, half, zBig, magnitude * magnitude);
        // z may be 0 or subnormal in the small-|ρ| branch, where the root is never selected.
        return AsinOfMagnitude<TV, T>(magnitude, z, SqrtPositive<TV, T>(z), out cos);
    }

    /// <summary>arcsin|x| and √(1 − x²) from |x|, the reduced argument z and √z (the branch: |x| &gt; 1/2).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV AsinOfMagnitude<TV, T>(TV ax, TV z, TV root, out TV cos)
        where TV : struct, IVectorPack<TV, T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        var half = C<TV, T>(0.5);
        var y = TV.SelectAbove(ax, half, root, ax);
        // z², z⁴ and z⁸ once for both double-precision series (the JIT does not merge the repeated products).
        TV z2 = default, z4 = default, z8 = default;
        if (typeof(T) == typeof(double)) { z2 = z * z; z4 = z2 * z2; z8 = z4 * z4; }
        var w = y * AsinSeries<TV, T>(z, z2, z4, z8);
        cos = SqrtOneMinus<TV, T>(z, z2, z4, z8) * TV.SelectAbove(ax, half, root + root, C<TV, T>(1.0));
        // π/2 − 2w in one rounding (2w is exact).
        return TV.SelectAbove(ax, half, TV.Fma(C<TV, T>(-2.0), w, TV.Splat(Vector512.Create(T.Pi / T.CreateTruncating(2)))), w);
    }

    /// <summary>
    /// Per lane, <paramref name="ifTrue"/> where <paramref name="mask"/> is set: one masked blend (the portable select
    /// compiles to a mask-to-vector move and a ternary logic op, two operations on the two vector ports).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<T> Select<T>(Vector512<T> mask, Vector512<T> ifTrue, Vector512<T> ifFalse) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Avx512F.IsSupported)
        {
            if (typeof(T) == typeof(double)) return Avx512F.BlendVariable(ifFalse.AsDouble(), ifTrue.AsDouble(), mask.AsDouble()).As<double, T>();
            if (typeof(T) == typeof(float)) return Avx512F.BlendVariable(ifFalse.AsSingle(), ifTrue.AsSingle(), mask.AsSingle()).As<float, T>();
        }
        return Vector512.ConditionalSelect(mask, ifTrue, ifFalse);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> C<T>(double value) where T : unmanaged, IFloatingPointIeee754<T> => Vector512.Create(T.CreateTruncating(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV C<TV, T>(double value) where TV : struct, IVectorPack<TV, T> where T : unmanaged, IFloatingPointIeee754<T> =>
        TV.Splat(Vector512.Create(T.CreateTruncating(value)));

    /// <summary>asin(y)/y as a series in z = y², z ≤ 1/4, unrolled with literal coefficients (the JIT embeds them).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV AsinSeries<TV, T>(TV z, TV z2, TV z4, TV z8) where TV : struct, IVectorPack<TV, T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double))
        {
            // Estrin's scheme: the same polynomial as Horner's rule in a third of the dependency depth.
            return Estrin<TV, T>(z, z2, z4, z8, TV.Fma(C<TV, T>(0.03271610483098283), z, C<TV, T>(-0.021152330027065402)),
                1.0, 0.16666666666666805, 0.07499999999964854, 0.044642857178419156, 0.030381942570766977, 0.022372218063001936,
                0.017351566303470213, 0.013981286032120496, 0.011395613467359457, 0.010796509741233036, 0.0036517614894926143,
                0.02182695161550978);
        }
        // Single precision: Horner's rule (Estrin's scheme costs accuracy here for little speed on a short series).
        var p = C<TV, T>(0.03780636152096081);
        p = TV.Fma(p, z, C<TV, T>(0.014198827965636922));
        p = TV.Fma(p, z, C<TV, T>(0.031884142973420244));
        p = TV.Fma(p, z, C<TV, T>(0.044505242015329426));
        p = TV.Fma(p, z, C<TV, T>(0.07500591501960488));
        p = TV.Fma(p, z, C<TV, T>(0.1666665721387794));
        return TV.Fma(p, z, C<TV, T>(1.0000000002453038));
    }

    /// <summary>√(1 − z) as a series in z ≤ 1/4, unrolled with literal coefficients.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV SqrtOneMinus<TV, T>(TV z, TV z2, TV z4, TV z8) where TV : struct, IVectorPack<TV, T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double))
            return Estrin<TV, T>(z, z2, z4, z8, C<TV, T>(-0.034308838583332474),
                1.0, -0.4999999999999815, -0.1250000000041244, -0.06249999963931342, -0.0390625163329017, -0.02734331164089207,
                -0.020515325325567758, -0.016027596302914372, -0.01375441009387522, -0.007446828865423663, -0.021194963521473254,
                0.017190548009281534);
        var p = C<TV, T>(-0.050781774374713415);
        p = TV.Fma(p, z, C<TV, T>(-0.031613089822849647));
        p = TV.Fma(p, z, C<TV, T>(-0.06352240179385617));
        p = TV.Fma(p, z, C<TV, T>(-0.12493826802827501));
        p = TV.Fma(p, z, C<TV, T>(-0.5000013421707751));
        return TV.Fma(p, z, C<TV, T>(1.000000004673347));
    }

    /// <summary>
    /// Σ c_k z^k for k &lt; 12, plus <paramref name="top"/>·z¹² (the caller's last pair or coefficient), by Estrin's scheme in
    /// exactly the order of <see cref="EstrinScalar"/>: pairs, then z², z⁴ and z⁸, so the scalar twins agree.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Estrin<TV, T>(TV z, TV z2, TV z4, TV z8, TV top, double c0, double c1, double c2, double c3, double c4,
        double c5, double c6, double c7, double c8, double c9, double c10, double c11) where TV : struct, IVectorPack<TV, T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Each level folded in as soon as its operands exist, so few partial sums are live at once (the pair form of
        // IVectorPack needs twice the registers); the operations and their operands are those of the level-by-level order.
        var low = TV.Fma(TV.Fma(C<TV, T>(c3), z, C<TV, T>(c2)), z2, TV.Fma(C<TV, T>(c1), z, C<TV, T>(c0)));
        low = TV.Fma(TV.Fma(TV.Fma(C<TV, T>(c7), z, C<TV, T>(c6)), z2, TV.Fma(C<TV, T>(c5), z, C<TV, T>(c4))), z4, low);
        var high = TV.Fma(TV.Fma(C<TV, T>(c11), z, C<TV, T>(c10)), z2, TV.Fma(C<TV, T>(c9), z, C<TV, T>(c8)));
        return TV.Fma(TV.Fma(top, z4, high), z8, low);
    }

    /// <summary>a·b + c in one rounding, for double and float lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Fma<T>(Vector512<T> a, Vector512<T> b, Vector512<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double)) return Vector512.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
        if (typeof(T) == typeof(float)) return Vector512.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        return a * b + c;
    }

    /// <summary>Scalar twin of <see cref="AsinCos{T}"/>, the same operations in the same order (the tests compare them).</summary>
    public static (double Asin, double Cos) AsinCosScalar(double x)
    {
        double ax = Math.Abs(x);
        bool big = ax > 0.5;
        double z = big ? Math.FusedMultiplyAdd(-0.5, ax, 0.5) : ax * ax;
        double root = Math.Sqrt(z);
        double y = big ? root : ax;
        double w = y * EstrinScalar(AsinCoefficients, z);
        double asinAbs = big ? Math.FusedMultiplyAdd(-2, w, Math.PI / 2) : w;
        double cos = EstrinScalar(SqrtOneMinusCoefficients, z) * (big ? root + root : 1);
        return (Math.CopySign(asinAbs, x), cos);
    }

    /// <summary>Σ c_k z^k in exactly the order of the double-precision vector series (Estrin's scheme), so the twins agree bit for bit.</summary>
    private static double EstrinScalar(double[] c, double z)
    {
        Span<double> level = stackalloc double[(c.Length + 1) / 2];
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
    /// √x for x ≥ 0 from the 14-bit reciprocal square-root estimate r: g = x·r ≈ √x and h = −r/2 ≈ −1/(2√x), one step of
    /// Goldschmidt's iteration refining both together in double (two independent multiply-adds, 14 → 28 bits), then
    /// Newton's correction g += (x − g²)·|h| with the residual exact by the fused multiply-add (→ 56 bits, 24 in float).
    /// Six dependent operations where the square-root instruction takes as long and does not pipeline. 0 maps to 0;
    /// subnormal inputs lose accuracy (the estimate flushes them), which the kernels never pass (z ≥ 2⁻⁵⁴ or 0).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Sqrt<T>(Vector512<T> x) where T : unmanaged, IFloatingPointIeee754<T> =>
        Select(Vector512.GreaterThan(x, Vector512<T>.Zero), SqrtPositive<Pack1<T>, T>(new(x)).V, Vector512<T>.Zero);

    /// <summary><see cref="Sqrt{T}"/> for positive normal numbers only (0 gives NaN): no zero test.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV SqrtPositive<TV, T>(TV x) where TV : struct, IVectorPack<TV, T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        var r = TV.ReciprocalSqrtEstimate(x);
        var g = x * r;
        var h = C<TV, T>(-0.5) * r;
        if (typeof(T) == typeof(double))
        {
            var e = TV.Fma(g, h, C<TV, T>(0.5));
            g = TV.Fma(g, e, g);
            h = TV.Fma(h, e, h);
        }
        return TV.Fma(TV.Fms(g, g, x), h, g);
    }
}
