using System.Numerics;
using Tangent.Networks;

namespace Tangent.Empirical;

/// <summary>
/// Adds one weight layer's contribution to an empirical NTK between two batches, given each batch's factors
/// (<see cref="LayerFactors{T}"/>: patches and output cotangents). The kernel accumulates in "pair-major" layout:
/// [n1, n2] when traced, [(n1·O), (n2·O)] (rows (i, o), columns (j, o')) when full. With <c>symmetric</c> both
/// batches are the same and only the upper triangle (j ≥ i, or row ≤ column) needs to be right.
/// </summary>
internal interface IPairContraction<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    void Accumulate(WeightLayer<T> layer, ReadOnlySpan<T> patches1, ReadOnlySpan<T> cotangents1, int n1,
        ReadOnlySpan<T> patches2, ReadOnlySpan<T> cotangents2, int n2, bool symmetric, int outputs, bool full, Span<T> kernel);

    /// <summary>Elements held in scratch buffers between calls.</summary>
    long ScratchElements { get; }
}
