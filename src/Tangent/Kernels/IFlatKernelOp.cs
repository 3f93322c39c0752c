using System.Numerics;

namespace Tangent.Kernels;

/// <summary>
/// A layer's closed-form infinite-width transform on flat (fully connected) data, bound to its input shape.
/// Implementations update NNGP, NTK and variances in place; the pair and self versions must agree where a pair
/// is a point with itself.
/// </summary>
public interface IFlatKernelOp
{
    /// <summary>Transforms a block of pairs (double or float).</summary>
    void Pairs<T>(PairBlock<T> block) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>Transforms the points' own variances and NTKs (correlation exactly 1).</summary>
    void Self(SelfBlock block);
}
