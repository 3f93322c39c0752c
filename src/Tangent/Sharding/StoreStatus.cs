namespace Tangent.Sharding;

/// <summary>The state of one shard's tiles.</summary>
/// <param name="Shard">Which shard.</param>
/// <param name="Tiles">Tiles it owns.</param>
/// <param name="Done">Tiles done (and verified, when verification was asked for).</param>
/// <param name="Broken">Tiles on disk that are unusable (inconsistent record, wrong size, or a failed checksum when verifying).</param>
/// <param name="Bytes">Bytes of its done tiles.</param>
public sealed record ShardStatus(ShardSpec Shard, int Tiles, int Done, int Broken, long Bytes)
{
    /// <summary>Tiles still to compute (missing or broken).</summary>
    public int Missing => Tiles - Done;

    /// <summary>All its tiles are done.</summary>
    public bool Complete => Done == Tiles;
}

/// <summary>The state of a whole store.</summary>
/// <param name="Shards">Per shard, in order.</param>
/// <param name="Temporaries">Leftover temporary files of interrupted writes.</param>
/// <param name="TemporaryBytes">Their size.</param>
/// <param name="Verified">Whether every done tile's checksum was verified.</param>
/// <param name="FirstProblem">The first broken tile and why, if any.</param>
public sealed record StoreStatusReport(IReadOnlyList<ShardStatus> Shards, int Temporaries, long TemporaryBytes, bool Verified, string? FirstProblem)
{
    /// <summary>All tiles.</summary>
    public int Tiles => Shards.Sum(s => s.Tiles);
    /// <summary>Done tiles.</summary>
    public int Done => Shards.Sum(s => s.Done);
    /// <summary>Bytes of done tiles.</summary>
    public long Bytes => Shards.Sum(s => s.Bytes);
    /// <summary>Every tile is done.</summary>
    public bool Complete => Shards.All(s => s.Complete);
    /// <summary>The shards with work left, as I/N.</summary>
    public IEnumerable<ShardSpec> Incomplete => Shards.Where(s => !s.Complete).Select(s => s.Shard);
}

/// <summary>Counts what is done in a store, per shard, optionally verifying every tile's checksum.</summary>
public static class StoreStatus
{
    /// <summary>The state of <paramref name="store"/>; with <paramref name="verify"/> every done tile is read and checksummed.</summary>
    public static StoreStatusReport Collect(TileStore store, bool verify = false, IProgress<double>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        int n = store.Manifest.Shards;
        var tiles = new int[n];
        var done = new int[n];
        var broken = new int[n];
        var bytes = new long[n];
        string? firstProblem = null;
        var reader = verify ? new TileReader(store) : null;
        var all = store.Grid.Tiles;
        for (int k = 0; k < all.Count; k++)
        {
            cancellation.ThrowIfCancellationRequested();
            var t = all[k];
            int s = TileGrid.ShardOf(k, n);
            tiles[s]++;
            var state = store.Inspect(t);
            string? problem = state.Problem;
            if (state.Kind == TileStateKind.Done && reader is not null && !reader.TryRead(t, out _, out problem)) state = state with { Kind = TileStateKind.Broken };
            switch (state.Kind)
            {
                case TileStateKind.Done: done[s]++; bytes[s] += state.Record!.Bytes; break;
                case TileStateKind.Broken: broken[s]++; firstProblem ??= $"tile {t.Name}: {problem}"; break;
            }
            if (progress is not null && (k % 64 == 0 || k == all.Count - 1)) progress.Report((k + 1.0) / all.Count);
        }
        var temps = store.Temporaries().ToList();
        return new StoreStatusReport(
            [.. Enumerable.Range(0, n).Select(i => new ShardStatus(new ShardSpec(i, n), tiles[i], done[i], broken[i], bytes[i]))],
            temps.Count, temps.Sum(f => f.Length), verify, firstProblem);
    }
}
