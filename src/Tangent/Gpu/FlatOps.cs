using System.Numerics;

namespace Tangent.Gpu;

/// <summary>The layer transforms the device interpreter knows, one code per closed form.</summary>
internal enum FlatOpKind
{
    /// <summary>No change (Identity, and Flatten on flat data).</summary>
    Identity = 0,
    /// <summary>Dense: params (W², b², fan-in or 0 for NTK parameterisation).</summary>
    Dense = 1,
    /// <summary>ABRelu family: params (linear, abs, Ṫ at θ = π/2, Ṫ's slope in θ); reads variances.</summary>
    ABRelu = 2,
    /// <summary>a·erf(bx) + c: params (2b², 2a²/π, c², 4a²b²/π); reads variances.</summary>
    Erf = 3,
    /// <summary>sign(x): T = (2/π) arcsin ρ, Ṫ = 0; reads variances.</summary>
    Sign = 4,
    /// <summary>LayerNorm: params (ε); reads variances.</summary>
    LayerNorm = 5,
}

/// <summary>
/// One step of the layer recursion on one pair, on the device: the same closed forms as the CPU layers (Dense,
/// ABRelu, Erf, Sign, LayerNorm), in the same order of operations, so the two agree to rounding. Layers arrive as a
/// small program (a code and four parameters each) because device code cannot call the layers' virtual methods.
/// </summary>
internal static class FlatOps
{
    /// <summary>Whether an op of this kind reads the pair's variances at its input.</summary>
    public static bool ReadsVariances(FlatOpKind kind) => kind is FlatOpKind.ABRelu or FlatOpKind.Erf or FlatOpKind.Sign or FlatOpKind.LayerNorm;

    /// <summary>
    /// Applies op <paramref name="kind"/> with parameters <paramref name="p0"/>..<paramref name="p3"/> to the NNGP
    /// <paramref name="k"/> and NTK <paramref name="t"/> of a pair whose points have variances <paramref name="v1"/>, <paramref name="v2"/>.
    /// </summary>
    public static void Apply<T, P>(int kind, T p0, T p1, T p2, T p3, T v1, T v2, ref T k, ref T t)
        where T : unmanaged, IFloatingPointIeee754<T> where P : struct, IPrecision<T>
    {
        if (kind == (int)FlatOpKind.Dense)
        {
            if (p2 > T.Zero)
            {
                // Standard parameterisation: Θ' = fan_in·Σ + 1 + W²Θ (Dense.cs, same order).
                t = k * p2 + (p0 * t + T.One);
                k = p0 * k + p1;
            }
            else
            {
                k = p0 * k + p1;
                t = p0 * t + k;
            }
        }
        else if (kind == (int)FlatOpKind.ABRelu)
        {
            T r1 = DeviceMath.Root(v1), r2 = DeviceMath.Root(v2);
            T rho = DeviceMath.Correlation<T, P>(k, DeviceMath.InverseRoot(v1), DeviceMath.InverseRoot(v2));
            T asin = DeviceMath.Asin<T, P>(rho, out T sin);
            // T = linear·c + abs·√(v1 v2)·(sin θ + (π/2 − θ) cos θ), with π/2 − θ = arcsin ρ and cos θ = ρ.
            T nngp = p0 * k + p1 * (r1 * r2) * (asin * rho + sin);
            t = (p2 - p3 * asin) * t;
            k = nngp;
        }
        else if (kind == (int)FlatOpKind.Erf)
        {
            T prod = (T.One + p0 * v1) * (T.One + p0 * v2);
            T arg = p0 * k / T.Sqrt(prod);
            if (arg > T.One) arg = T.One;
            if (arg < -T.One) arg = -T.One;
            T nngp = p1 * DeviceMath.Asin<T, P>(arg, out _) + p2;
            t = p3 / T.Sqrt(prod - p0 * p0 * k * k) * t;
            k = nngp;
        }
        else if (kind == (int)FlatOpKind.Sign)
        {
            T rho = DeviceMath.Correlation<T, P>(k, DeviceMath.InverseRoot(v1), DeviceMath.InverseRoot(v2));
            k = P.Of(2 / Math.PI) * DeviceMath.Asin<T, P>(rho, out _);
            t = T.Zero * t;
        }
        else if (kind == (int)FlatOpKind.LayerNorm)
        {
            T inv = T.One / T.Sqrt((v1 + p0) * (v2 + p0));
            k *= inv;
            t *= inv;
        }
    }
}
