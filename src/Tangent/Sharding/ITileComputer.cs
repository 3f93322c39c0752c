namespace Tangent.Sharding;

/// <summary>Computes one tile of a kernel: what a shard runs for each of its tiles.</summary>
/// <typeparam name="T">float64 or float32, as the store's dtype.</typeparam>
public interface ITileComputer<T> where T : unmanaged
{
    /// <summary>
    /// The tile's values, row-major, rows x cols as the grid gives them. Must be deterministic: the same tile computed
    /// twice (by another shard count, another thread count, another machine of the same build) has the same bits.
    /// </summary>
    T[] Compute(TileIndex tile, CancellationToken cancellation);
}
