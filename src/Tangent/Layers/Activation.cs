using System.Numerics;
using Tangent.Kernels;
using Tangent.Specs;

namespace Tangent.Layers;

/// <summary>
/// An elementwise nonlinearity φ. Its infinite-width meaning is the pair of Gaussian expectations
/// T(Σ) = E[φ(u)φ(v)] and Ṫ(Σ) = E[φ'(u)φ'(v)] over (u, v) ~ N(0, [[v1, c], [c, v2]]): the NNGP becomes T and the
/// NTK is multiplied by Ṫ (Jacot et al. 2018, eq. for Θ^(L+1); Lee et al. 2019, eq. 6).
/// </summary>
public abstract class Activation : Layer, IFlatKernelOp
{
    /// <summary>φ(x), for finite networks.</summary>
    public abstract double Apply(double x);

    /// <summary>φ'(x), for finite networks (backward pass).</summary>
    public abstract double Derivative(double x);

    /// <summary>(T, Ṫ) for a pair with variances <paramref name="v1"/>, <paramref name="v2"/> and covariance <paramref name="cov"/>.</summary>
    public abstract (double Nngp, double Tdot) Pair(double v1, double v2, double cov);

    /// <summary>(T, Ṫ) of a point with itself (correlation exactly 1); override where the generic form is ill-conditioned there.</summary>
    public virtual (double Nngp, double Tdot) Self(double v) => Pair(v, v, v);

    /// <inheritdoc />
    public override IFlatKernelOp BindFlatKernel(TensorShape input) => this;

    /// <inheritdoc />
    public void Pairs<T>(PairBlock<T> block) where T : unmanaged, IFloatingPointIeee754<T>
    {
        PairsCore(block);
        // Variances last: the pair transform above needed the input variances.
        UpdateVariances(block);
    }

    /// <summary>Replaces the block's point variances by their values after this activation.</summary>
    internal void UpdateVariances<T>(PairBlock<T> block) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < block.Var1Count; i++) block.Var1[i] = T.CreateTruncating(Self(double.CreateTruncating(block.Var1[i])).Nngp);
        for (int j = 0; j < block.Cols; j++) block.Var2[j] = T.CreateTruncating(Self(double.CreateTruncating(block.Var2[j])).Nngp);
    }

    /// <summary>Transforms the pair entries of a block (variances untouched). The default evaluates <see cref="Pair"/> per entry.</summary>
    protected virtual void PairsCore<T>(PairBlock<T> block) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < block.Rows; i++)
        {
            var nngp = block.NngpRow(i);
            var ntk = block.NtkRow(i);
            for (int j = 0; j < nngp.Length; j++)
            {
                double v1 = double.CreateTruncating(block.Var1[block.Zip ? j : i]);
                var (k, t) = Pair(v1, double.CreateTruncating(block.Var2[j]), double.CreateTruncating(nngp[j]));
                nngp[j] = T.CreateTruncating(k);
                if (!ntk.IsEmpty) ntk[j] = T.CreateTruncating(t * double.CreateTruncating(ntk[j]));
            }
        }
    }

    /// <inheritdoc />
    public void Self(SelfBlock block)
    {
        for (int k = 0; k < block.Count; k++)
        {
            var (v, t) = Self(block.Var[k]);
            block.Var[k] = v;
            if (block.Ntk is { } ntk) ntk[k] *= t;
        }
    }

    /// <summary>
    /// The correlation c / sqrt(v1 v2), clamped to [-1, 1], 0 when a variance vanishes. Within 4 ulp of ±1 it is set to
    /// ±1 exactly: a correlation computed from rounded covariances carries that much error, and arccos turns an error ε
    /// at 1 into √(2ε) (about 2e-8), so a point paired with itself must land on θ = 0 exactly.
    /// </summary>
    protected internal static double Correlation(double v1, double v2, double cov)
    {
        double s = Math.Sqrt(v1 * v2);
        if (!(s > 0)) return 0.0;
        double rho = cov / s;
        return rho >= 1 - SnapToOne ? 1.0 : rho <= -1 + SnapToOne ? -1.0 : rho;
    }

    /// <summary>Distance from ±1 within which a correlation is taken as exactly ±1 (4 ulp of 1).</summary>
    protected internal const double SnapToOne = 4.440892098500626e-16;

    /// <summary><see cref="SnapToOne"/> for type <typeparamref name="T"/>: four spacings of the numbers just below 1.</summary>
    protected static T SnapDistance<T>() where T : IFloatingPointIeee754<T> => T.CreateTruncating(4) * (T.One - T.BitDecrement(T.One));

    #region Finite network

    /// <inheritdoc />
    public override Networks.FiniteLayer<T> BindFinite<T>(Networks.FiniteContext context) => new FiniteActivation<T>(this, context);

    /// <summary>y = φ(x) elementwise (finite networks). Override with a vectorised version where φ is in hot loops.</summary>
    public virtual void ApplyFinite<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < x.Length; i++) y[i] = T.CreateTruncating(Apply(double.CreateTruncating(x[i])));
    }

    /// <summary>d = φ'(x) elementwise (finite networks' backward pass).</summary>
    public virtual void DerivativeFinite<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < x.Length; i++) d[i] = T.CreateTruncating(Derivative(double.CreateTruncating(x[i])));
    }

    #endregion
}

#region Finite network

/// <summary>
/// The finite meaning of an <see cref="Activation"/>: y = φ(x) elementwise; backward dx = dy ⊙ φ'(x), with φ'(x)
/// evaluated once per example and reused for all of its cotangents.
/// </summary>
internal sealed class FiniteActivation<T> : Networks.FiniteLayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Activation _phi;
    private T[]? _derivative;

    public FiniteActivation(Activation phi, Networks.FiniteContext context) : base(context, context.Input) => _phi = phi;

    public override void Forward(ReadOnlySpan<T> x, Span<T> y, int n)
    {
        int size = n * InputSize;
        _phi.ApplyFinite(x[..size], y[..size]);
    }

    public override void Backward(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx, int n, int m, Networks.IWeightGradientSink<T>? sink)
    {
        if (dx.IsEmpty) return;
        int size = InputSize;
        var d = Ensure(ref _derivative, (long)n * size).AsSpan(0, n * size);
        _phi.DerivativeFinite(x[..(n * size)], d);
        for (int r = 0; r < n * m; r++)
            System.Numerics.Tensors.TensorPrimitives.Multiply<T>(dy.Slice(r * size, size), d.Slice(r / m * size, size), dx.Slice(r * size, size));
    }
}

#endregion
