using System.Numerics;
using System.Numerics.Tensors;

namespace Tangent.Kernels;

/// <summary>
/// Global average (or sum) pooling of an image pair's state: Σ' = mean (or sum) over all position pairs (q, q') of
/// Σ(q, q'), and the same for the NTK. Needs the full position-position covariance; the output is flat. A fused
/// convolution + activation sweep just before it sums its output as it goes instead (<see cref="FusedConvolutionActivation"/>).
/// </summary>
internal sealed class GlobalPoolImageOp(bool average) : ImageKernelOp
{
    /// <summary>True for the mean over position pairs, false for the sum.</summary>
    public bool Average => average;

    public override bool NeedsFullCovariance => true;

    /// <summary>The factor that turns the sum over position pairs into this pooling's output.</summary>
    public T Scale<T>(ImagePairState<T> s) where T : unmanaged, IFloatingPointIeee754<T> =>
        average ? T.One / T.CreateTruncating((double)s.G1.P * s.G2.P) : T.One;

    /// <summary>Makes the state flat with the given sums over position pairs.</summary>
    public void Finish<T>(ImagePairState<T> s, T nngpSum, T ntkSum) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T scale = Scale(s);
        s.IsFlat = true;
        s.NngpSpan[0] = nngpSum * scale;
        if (s.WithNtk) s.NtkSpan[0] = ntkSum * scale;
    }

    protected override void Apply<T>(ImagePairState<T> s, IVarianceSupply supply) =>
        Finish(s, TensorPrimitives.Sum<T>(s.NngpSpan), s.WithNtk ? TensorPrimitives.Sum<T>(s.NtkSpan) : T.Zero);
}
