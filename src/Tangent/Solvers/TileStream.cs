using Tangent.Sharding;

namespace Tangent.Solvers;

/// <summary>
/// Reads a sequence of tiles with one tile of read-ahead: while the caller works on a tile (a GEMM), the next one is
/// read and checksummed on another thread. Two readers alternate, so memory is two tile buffers.
/// </summary>
internal sealed class TileStream(TileStore store)
{
    private readonly TileReader[] _readers = [new(store), new(store)];

    /// <summary>Bytes read by this stream so far.</summary>
    public long BytesRead => _readers[0].BytesRead + _readers[1].BytesRead;

    /// <summary>Calls <paramref name="work"/> on each tile in order; a tile's view is valid only during its call.</summary>
    public void ForEach(IReadOnlyList<TileIndex> tiles, Action<TileView> work, CancellationToken cancellation)
    {
        if (tiles.Count == 0) return;
        var pending = Task.Run(() => _readers[0].Read(tiles[0]), cancellation);
        for (int k = 0; k < tiles.Count; k++)
        {
            TileView view = pending.GetAwaiter().GetResult();
            cancellation.ThrowIfCancellationRequested();
            if (k + 1 < tiles.Count)
            {
                var next = tiles[k + 1];
                var reader = _readers[(k + 1) % 2];
                pending = Task.Run(() => reader.Read(next), cancellation);
            }
            try { work(view); }
            catch
            {
                // Let the read in flight finish before the buffers can be reused by anyone else.
                if (k + 1 < tiles.Count) try { pending.Wait(); } catch (AggregateException) { }
                throw;
            }
        }
    }
}
