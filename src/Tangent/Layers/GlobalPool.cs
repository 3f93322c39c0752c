using System.Numerics;
using System.Numerics.Tensors;
using Tangent.Kernels;
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
    public override ImageKernelOp BindImageKernel(TensorShape input) => new Op(Average);

    private sealed class Op(bool average) : ImageKernelOp
    {
        public override bool NeedsFullCovariance => true;

        protected override void Apply<T>(ImagePairState<T> s, IVarianceSupply supply)
        {
            T scale = average ? T.One / T.CreateTruncating((double)s.G1.P * s.G2.P) : T.One;
            T k = TensorPrimitives.Sum<T>(s.NngpSpan) * scale;
            T t = s.WithNtk ? TensorPrimitives.Sum<T>(s.NtkSpan) * scale : T.Zero;
            s.IsFlat = true;
            s.NngpSpan[0] = k;
            if (s.WithNtk) s.NtkSpan[0] = t;
        }
    }
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
