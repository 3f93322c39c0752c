using Tangent.IO;

namespace Tangent.Sharding;

/// <summary>
/// Commits one computed tile to a store: the .npy first (temporary, fsync, rename), checksummed from the bytes as they
/// are written, then its record the same way, then the directory entry is flushed. A kill at any instant leaves either
/// no tile, a tile without a record (recomputed by the rerun), or a complete tile: never a partial file under a final name.
/// </summary>
internal static class TileWriter
{
    /// <summary>Writes tile <paramref name="t"/> and returns its record.</summary>
    /// <param name="store">The store.</param>
    /// <param name="t">Which tile.</param>
    /// <param name="data">Its values, row-major, of the store's dtype.</param>
    /// <param name="shard">The shard computing it, for the record.</param>
    /// <param name="seconds">Time it took to compute, for the record.</param>
    /// <param name="beforeCommit">Runs after the data is written and before it is committed (fault-injection tests).</param>
    public static TileRecord Write<T>(TileStore store, TileIndex t, ReadOnlySpan<T> data, string shard, double seconds, Action? beforeCommit = null)
        where T : unmanaged
    {
        var (rows, cols) = store.ShapeOf(t);
        string dtype = typeof(T) == typeof(double) ? "float64" : typeof(T) == typeof(float) ? "float32" : throw new NotSupportedException(typeof(T).Name);
        if (dtype != store.Manifest.Dtype) throw new InvalidOperationException($"the store holds {store.Manifest.Dtype}, not {dtype}");
        if (data.Length != rows * cols) throw new ArgumentException($"tile {t} needs {rows * cols} values, got {data.Length}", nameof(data));

        RemoveLeftovers(store, t);
        string hash;
        long bytes;
        using (var file = PendingFile.Create(store.TilePath(t)))
        {
            var hashing = new HashingWriteStream(file.Stream);
            NpyWriter.Write(hashing, data, [rows, cols]);
            hashing.Flush();
            hash = hashing.Hash;
            bytes = hashing.BytesWritten;
            beforeCommit?.Invoke();
            file.Commit();
        }
        var record = new TileRecord
        {
            Row = t.Row, Col = t.Col, Rows = rows, Cols = cols, Dtype = dtype, Bytes = bytes, Xxh128 = hash,
            Shard = shard, Seconds = Math.Round(seconds, 4), Host = Environment.MachineName, Written = DateTimeOffset.UtcNow,
        };
        using (var file = PendingFile.Create(store.RecordPath(t)))
        {
            file.Stream.Write(System.Text.Encoding.UTF8.GetBytes(record.ToJson() + "\n"));
            file.Commit();
        }
        DirectorySync.Flush(store.TilesDirectory);
        return record;
    }

    /// <summary>
    /// Deletes temporaries a killed writer of this tile left behind. Only this tile's shard writes it, so they cannot
    /// belong to a live writer unless the same shard runs twice at once (then one of the two fails and is rerun).
    /// </summary>
    private static void RemoveLeftovers(TileStore store, TileIndex t)
    {
        foreach (var f in new DirectoryInfo(store.TilesDirectory).EnumerateFiles(t.Name + ".*.tmp-*"))
        {
            try { f.Delete(); } catch (IOException) { }
        }
    }
}
