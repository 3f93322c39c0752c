using System.Numerics;
using System.Runtime.Intrinsics;
using Tangent.Kernels;
using Tangent.Numerics;
using Tangent.Specs;

namespace Tangent.Layers;

/// <summary>
/// φ(x) = a·min(x, 0) + b·max(x, 0), the family of ReLU, leaky ReLU and |x|. Writing φ(x) = (a+b)/2·x + (b−a)/2·|x|
/// and using the arc-cosine kernel of degree 1 (Cho &amp; Saul 2009), with θ = arccos(c / sqrt(v1 v2)):
/// T = ((a+b)/2)² c + ((b−a)/2)² (2/π) sqrt(v1 v2) (sin θ + (π/2 − θ) cos θ),
/// Ṫ = ((a² + b²)(π − θ) + 2ab θ) / (2π).
/// The hot loop of every ReLU kernel, so it has a Vector512 path with a vectorised arccos.
/// </summary>
public class ABRelu : Activation
{
    private readonly double _linear, _abs, _tdot0, _tdot1;

    /// <summary>Slope <paramref name="a"/> below zero and <paramref name="b"/> above.</summary>
    public ABRelu(double a, double b)
    {
        A = a; B = b;
        _linear = (a + b) * (a + b) / 4;
        _abs = (b - a) * (b - a) / 4 * (2 / Math.PI);
        _tdot0 = (a * a + b * b) / 2;
        _tdot1 = -(a - b) * (a - b) / (2 * Math.PI);
    }

    /// <summary>Slope below zero.</summary>
    public double A { get; }
    /// <summary>Slope above zero.</summary>
    public double B { get; }

    /// <inheritdoc />
    public override string TypeName => "ABRelu";
    /// <inheritdoc />
    public override IEnumerable<(string Key, object Value)> Parameters => [("a", A), ("b", B)];

    internal static ABRelu FromArgs(LayerArgs args) => new(args.Number("a", 0, check: LayerArgs.Finite), args.Number("b", 1, check: LayerArgs.Finite));

    /// <inheritdoc />
    public override double Apply(double x) => x < 0 ? A * x : B * x;
    /// <inheritdoc />
    public override double Derivative(double x) => x < 0 ? A : B;

    /// <inheritdoc />
    public override (double Nngp, double Tdot) Pair(double v1, double v2, double cov)
    {
        double s = Math.Sqrt(v1 * v2);
        double rho = Correlation(v1, v2, cov);
        double theta = Math.Acos(rho);
        double sin = Math.Sqrt((1 - rho) * (1 + rho));
        return (_linear * cov + _abs * s * (sin + (Math.PI / 2 - theta) * rho), _tdot0 + _tdot1 * theta);
    }

    /// <inheritdoc />
    public override (double Nngp, double Tdot) Self(double v) => (_tdot0 * v, _tdot0);

    /// <inheritdoc />
    protected override void PairsCore<T>(PairBlock<T> block)
    {
        if (!Vector512.IsHardwareAccelerated) { base.PairsCore(block); return; }
        int width = Vector512<T>.Count, cols = block.Cols;
        // √v and 1/√v per point, once per block: the pair loop then needs no division and no square root but the
        // one inside arcsin.
        var scratch = PointRoots<T>.Get(Math.Max(block.Var1Count, cols));
        var root1 = scratch.Root1.AsSpan(0, block.Var1Count);
        var inv1 = scratch.Inv1.AsSpan(0, block.Var1Count);
        var root2 = scratch.Root2.AsSpan(0, cols);
        var inv2 = scratch.Inv2.AsSpan(0, cols);
        Roots(block.Var1.AsSpan(0, block.Var1Count), root1, inv1);
        Roots(block.Var2.AsSpan(0, cols), root2, inv2);
        var arc = Vectors<T>();
        for (int i = 0; i < block.Rows; i++)
        {
            // √v1 carries the |x| part's weight, folded in once per row (see ArcCosineVectors.Apply).
            var r1 = Vector512.Create(block.Zip ? T.Zero : root1[i] * arc.AbsWeight);
            var i1 = Vector512.Create(block.Zip ? T.Zero : inv1[i]);
            var nngp = block.NngpRow(i);
            var ntk = block.NtkRow(i);
            int j = 0;
            for (; j <= cols - width; j += width)
            {
                if (block.Zip) { r1 = Vector512.Create<T>(root1.Slice(j, width)) * Vector512.Create(arc.AbsWeight); i1 = Vector512.Create<T>(inv1.Slice(j, width)); }
                var c = Vector512.Create<T>(nngp.Slice(j, width));
                arc.Apply(c, r1 * Vector512.Create<T>(root2.Slice(j, width)), i1 * Vector512.Create<T>(inv2.Slice(j, width)), out var tdot).CopyTo(nngp.Slice(j, width));
                if (!ntk.IsEmpty) (tdot * Vector512.Create<T>(ntk.Slice(j, width))).CopyTo(ntk.Slice(j, width));
            }
            for (; j < cols; j++)
            {
                var (k, t) = Pair(double.CreateTruncating(block.Var1[block.Zip ? j : i]), double.CreateTruncating(block.Var2[j]), double.CreateTruncating(nngp[j]));
                nngp[j] = T.CreateTruncating(k);
                if (!ntk.IsEmpty) ntk[j] = T.CreateTruncating(t * double.CreateTruncating(ntk[j]));
            }
        }
    }

    /// <summary>√v and 1/√v per point (0 for a point of zero variance).</summary>
    internal static void Roots<T>(ReadOnlySpan<T> v, Span<T> root, Span<T> inverse) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        // Vectorised because the CNTK sweep calls this for both images at every layer of every pair: the scalar loop
        // (a square root and a division per position, neither pipelined) was 15 % of the sweep. Both operations are
        // correctly rounded, so the vector and scalar forms agree bit for bit.
        if (Vector512.IsHardwareAccelerated)
        {
            int width = Vector512<T>.Count;
            for (; i <= v.Length - width; i += width)
            {
                var x = Vector512.Create(v.Slice(i, width));
                var r = Vector512.Sqrt(Vector512.Max(x, Vector512<T>.Zero));
                r.CopyTo(root.Slice(i, width));
                VectorMath.Select(Vector512.GreaterThan(x, Vector512<T>.Zero), Vector512<T>.One / r, Vector512<T>.Zero).CopyTo(inverse.Slice(i, width));
            }
        }
        for (; i < v.Length; i++)
        {
            root[i] = T.Sqrt(T.Max(v[i], T.Zero));
            // A point of zero variance has zero correlation with everything (and zero kernel).
            inverse[i] = v[i] > T.Zero ? T.One / root[i] : T.Zero;
        }
    }

    /// <summary>This activation's constants as vectors, for the vector loops here and in fused image transforms.</summary>
    internal ArcCosineVectors<T> Vectors<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
        new(T.CreateTruncating(_linear), T.CreateTruncating(_abs), T.CreateTruncating(_tdot0 + _tdot1 * Math.PI / 2),
            T.CreateTruncating(_tdot1), SnapDistance<T>());

    #region Finite network

    /// <inheritdoc />
    public override void ApplyFinite<T>(ReadOnlySpan<T> x, Span<T> y)
    {
        // a·min(x, 0) + b·max(x, 0), vectorised: the MLP benchmark's forward pass.
        T a = T.CreateTruncating(A), b = T.CreateTruncating(B);
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var va = Vector512.Create(a);
            var vb = Vector512.Create(b);
            for (; i <= x.Length - Vector512<T>.Count; i += Vector512<T>.Count)
            {
                var v = Vector512.Create<T>(x.Slice(i, Vector512<T>.Count));
                (va * Vector512.Min(v, Vector512<T>.Zero) + vb * Vector512.Max(v, Vector512<T>.Zero)).CopyTo(y.Slice(i, Vector512<T>.Count));
            }
        }
        for (; i < x.Length; i++) y[i] = x[i] < T.Zero ? a * x[i] : b * x[i];
    }

    /// <inheritdoc />
    public override void DerivativeFinite<T>(ReadOnlySpan<T> x, Span<T> d)
    {
        T a = T.CreateTruncating(A), b = T.CreateTruncating(B);
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var va = Vector512.Create(a);
            var vb = Vector512.Create(b);
            for (; i <= x.Length - Vector512<T>.Count; i += Vector512<T>.Count)
            {
                var v = Vector512.Create<T>(x.Slice(i, Vector512<T>.Count));
                Vector512.ConditionalSelect(Vector512.LessThan(v, Vector512<T>.Zero), va, vb).CopyTo(d.Slice(i, Vector512<T>.Count));
            }
        }
        for (; i < x.Length; i++) d[i] = x[i] < T.Zero ? a : b;
    }

    #endregion
}

/// <summary>max(x, 0): <see cref="ABRelu"/> with a = 0, b = 1.</summary>
public sealed class Relu() : ABRelu(0, 1)
{
    /// <inheritdoc />
    public override string TypeName => "Relu";
    /// <inheritdoc />
    public override IEnumerable<(string Key, object Value)> Parameters => [];
}

/// <summary>max(x, αx): <see cref="ABRelu"/> with a = α, b = 1.</summary>
public sealed class LeakyRelu(double alpha) : ABRelu(alpha, 1)
{
    /// <summary>Slope below zero.</summary>
    public double Alpha => A;
    /// <inheritdoc />
    public override string TypeName => "LeakyRelu";
    /// <inheritdoc />
    public override IEnumerable<(string Key, object Value)> Parameters => [("alpha", Alpha)];
    internal static new LeakyRelu FromArgs(LayerArgs args) => new(args.Number("alpha", 0.01, check: LayerArgs.Finite));
}

/// <summary>|x|: <see cref="ABRelu"/> with a = −1, b = 1.</summary>
public sealed class Abs() : ABRelu(-1, 1)
{
    /// <inheritdoc />
    public override string TypeName => "Abs";
    /// <inheritdoc />
    public override IEnumerable<(string Key, object Value)> Parameters => [];
}

/// <summary>
/// The vector body of the <see cref="ABRelu"/> pair transform: from a covariance c, √(v1 v2) and 1/√(v1 v2), the new
/// covariance and the derivative kernel Ṫ. Shared by the flat loop and the fused convolution + activation image transform,
/// so both round identically.
/// </summary>
internal readonly struct ArcCosineVectors<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Vector512<T> _linear, _abs, _tdotAtZero, _minusTdot1, _snapZ;

    public ArcCosineVectors(T linear, T abs, T tdotAtZero, T tdot1, T snapDistance)
    {
        _linear = Vector512.Create(linear);
        _abs = Vector512.Create(abs);
        _tdotAtZero = Vector512.Create(tdotAtZero);
        _minusTdot1 = Vector512.Create(-tdot1);
        // |ρ| ≥ 1 − d  ⇔  z = (1 − |ρ|)/2 ≤ d/2, both exact.
        _snapZ = Vector512.Create(snapDistance / T.CreateTruncating(2));
    }

    /// <summary>The weight of the |x| part: folded into √v by callers of <see cref="Apply"/>.</summary>
    public T AbsWeight => _abs[0];

    /// <summary>
    /// The new covariance from c, √(v1 v2)·<see cref="AbsWeight"/> and 1/√(v1 v2); Ṫ as <paramref name="tdot"/>. Callers fold the
    /// weight into the √v they hoist out of their inner loop, saving a multiplication per vector.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public Vector512<T> Apply(Vector512<T> c, Vector512<T> scaledRootProduct, Vector512<T> inverseRootProduct, out Vector512<T> tdot)
    {
        var k = Apply<Pack1<T>>(new(c), new(scaledRootProduct), new(inverseRootProduct), out var t);
        tdot = t.V;
        return k.V;
    }

    /// <summary>
    /// <see cref="Apply(Vector512{T}, Vector512{T}, Vector512{T}, out Vector512{T})"/> on a <see cref="Pack2{T}"/> of two
    /// vectors: the two transforms' instructions interleave, which ran them 1.5–1.75× as fast as one after the other on
    /// independent data (each is a long dependency chain). The results are those of two single calls, bit for bit.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public TV Apply<TV>(TV c, TV scaledRootProduct, TV inverseRootProduct, out TV tdot) where TV : struct, IVectorPack<TV, T>
    {
        var rho = c * inverseRootProduct;
        var magnitude = TV.Abs(rho);
        // Within 4 ulp of |ρ| = 1 (and beyond it, from rounding), exactly θ = 0 (see Activation.Correlation).
        var asinAbs = VectorMath.AsinOfCorrelation<TV, T>(magnitude, TV.Splat(_snapZ), out var sin);
        // Ṫ = tdot0 + tdot1·θ with θ = π/2 − arcsin ρ.
        tdot = TV.Fma(TV.Splat(_minusTdot1), TV.CopySign(asinAbs, rho), TV.Splat(_tdotAtZero));
        // arcsin ρ · ρ = arcsin|ρ| · |ρ|.
        return TV.Fma(TV.Splat(_linear), c, scaledRootProduct * TV.Fma(asinAbs, magnitude, sin));
    }
}
