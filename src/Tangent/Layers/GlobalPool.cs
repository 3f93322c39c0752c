using System.Numerics;
using System.Numerics.Tensors;
using Tangent.Kernels;
using Tangent.Networks;
using Tangent.Specs;

namespace Tangent.Layers;

/// <summary>
/// Global average pooling over all positions: Σ' = mean over all position pairs (q, q') of Σ(q, q'), and the same for
/// the NTK. Needs the full position-position covariance; the output is flat.
/// </summary>
public class GlobalAvgPool : Layer
{
    /// <summary>Whether positions are averaged (true) or summed.</summary>
    protected virtual bool Average => true;
    /// <inheritdoc />
    public override string TypeName => "GlobalAvgPool";

    /// <inheritdoc />
    public override TensorShape OutputShape(TensorShape input) =>
        input.IsFlat ? throw new SpecException($"spec error: {TypeName} needs image or sequence inputs, got flat shape {input}") : TensorShape.Flat(input.Channels);

    /// <inheritdoc />
    public override ImageKernelOp BindImageKernel(TensorShape input) => new GlobalPoolImageOp(Average);

    #region Finite network

    /// <inheritdoc />
    public override FiniteLayer<T> BindFinite<T>(FiniteContext context) => new FiniteGlobalPool<T>(context, OutputShape(context.Input), Average);

    #endregion
}

/// <summary>Global sum pooling: <see cref="GlobalAvgPool"/> without the 1/(P·P') factor.</summary>
public sealed class GlobalSumPool : GlobalAvgPool
{
    /// <inheritdoc />
    protected override bool Average => false;
    /// <inheritdoc />
    public override string TypeName => "GlobalSumPool";
}

/// <summary>
/// Flattening of an image into a vector (H, W, C order). A following Dense layer sees fan-in P·C, so its kernel is the
/// mean over positions of the same-position covariance: Σ' = mean_q Σ(q, q) (neural-tangents' convention, which keeps
/// kernels O(1) as images grow). Needs only equal positions.
/// </summary>
public sealed class Flatten : Layer
{
    /// <inheritdoc />
    public override string TypeName => "Flatten";

    /// <inheritdoc />
    public override TensorShape OutputShape(TensorShape input) => input.IsFlat ? input : TensorShape.Flat(input.Positions * input.Channels);

    /// <inheritdoc />
    public override IFlatKernelOp BindFlatKernel(TensorShape input) => new IdentityFlat();

    /// <inheritdoc />
    public override ImageKernelOp BindImageKernel(TensorShape input) => new Op();

    #region Finite network

    /// <inheritdoc />
    public override FiniteLayer<T> BindFinite<T>(FiniteContext context) => new FiniteFlatten<T>(context, OutputShape(context.Input));

    #endregion

    private sealed class IdentityFlat : IFlatKernelOp
    {
        public void Pairs<T>(PairBlock<T> block) where T : unmanaged, IFloatingPointIeee754<T> { }
        public void Self(SelfBlock block) { }
    }

    private sealed class Op : ImageKernelOp
    {
        protected override void Apply<T>(ImagePairState<T> s, IVarianceSupply supply)
        {
            int p = s.G1.P;
            T k = T.Zero, t = T.Zero;
            var nngp = s.NngpSpan;
            var ntk = s.NtkSpan;
            for (int q = 0; q < p; q++)
            {
                int i = s.Zip ? q : q * p + q;
                k += nngp[i];
                if (s.WithNtk) t += ntk[i];
            }
            T inv = T.One / T.CreateTruncating(p);
            s.IsFlat = true;
            s.NngpSpan[0] = k * inv;
            if (s.WithNtk) s.NtkSpan[0] = t * inv;
        }
    }
}

#region Finite network

/// <summary>Finite global pooling: y_c = s·Σ_p x_{p,c}, s = 1/P (average) or 1 (sum); backward dx_{p,c} = s·dy_c.</summary>
internal sealed class FiniteGlobalPool<T>(FiniteContext context, TensorShape output, bool average) : FiniteLayer<T>(context, output)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T _scale = average ? T.One / T.CreateTruncating(context.Input.Positions) : T.One;

    public override void Forward(ReadOnlySpan<T> x, Span<T> y, int n)
    {
        int c = OutputSize, p = InputShape.Positions;
        for (int e = 0; e < n; e++)
        {
            var target = y.Slice(e * c, c);
            target.Clear();
            for (int q = 0; q < p; q++) TensorPrimitives.Add<T>(target, x.Slice(e * InputSize + q * c, c), target);
            TensorPrimitives.Multiply<T>(target, _scale, target);
        }
    }

    public override void Backward(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx, int n, int m, IWeightGradientSink<T>? sink)
    {
        if (dx.IsEmpty) return;
        int c = OutputSize, p = InputShape.Positions;
        for (int r = 0; r < n * m; r++)
            for (int q = 0; q < p; q++)
                TensorPrimitives.Multiply<T>(dy.Slice(r * c, c), _scale, dx.Slice(r * InputSize + q * c, c));
    }
}

/// <summary>Finite Flatten: the HWC layout already is the flat vector, so forward and backward are copies.</summary>
internal sealed class FiniteFlatten<T>(FiniteContext context, TensorShape output) : FiniteLayer<T>(context, output)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public override void Forward(ReadOnlySpan<T> x, Span<T> y, int n) => x[..(n * InputSize)].CopyTo(y);

    public override void Backward(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx, int n, int m, IWeightGradientSink<T>? sink)
    {
        if (!dx.IsEmpty) dy[..(n * m * InputSize)].CopyTo(dx);
    }
}

#endregion
