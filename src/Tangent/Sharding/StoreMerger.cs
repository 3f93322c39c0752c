using System.Runtime.InteropServices;
using Tangent.IO;
using Tangent.Kernels;
using Tangent.Linalg;

namespace Tangent.Sharding;

/// <summary>
/// Assembles a complete store into one kernel: a .npy file written tile by tile at its place (positioned writes into
/// a temporary that is fsynced and renamed at the end), so memory stays at two tiles whatever the kernel's size; or,
/// for kernels that fit, a matrix in memory. Every tile is verified as it is read; the lower triangle of a symmetric
/// kernel is written as the transpose of the upper one, as the unsharded computation does, so the result is the same
/// bits as <c>tangent kernel --out</c> would give.
/// </summary>
public static class StoreMerger
{
    /// <summary>Writes the kernel to <paramref name="path"/> (.npy, the store's dtype), atomically.</summary>
    /// <exception cref="DataFormatException">The store is incomplete or a tile is corrupt; the path is not .npy.</exception>
    public static void Merge(TileStore store, string path, IProgress<double>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase))
            throw new DataFormatException($"--out {path}: a merged kernel is written as .npy (it may be larger than any text format handles)");
        EnsureComplete(store);
        var m = store.Manifest;
        byte[] header = NpyHeader.Encode(m.ElementSize == 4 ? "<f4" : "<f8", [m.Rows, m.Cols]);
        long total = header.Length + (long)m.Rows * m.Cols * m.ElementSize;
        using var file = PendingFile.Create(path);
        var stream = (FileStream)file.Stream;
        stream.SetLength(total);
        var handle = stream.SafeFileHandle;
        RandomAccess.Write(handle, header, 0);
        long start = header.Length;
        if (m.ElementSize == 4) Scatter<float>(store, (r, c, seg) => RandomAccess.Write(handle, MemoryMarshal.AsBytes(seg), start + ((long)r * m.Cols + c) * 4), progress, cancellation);
        else Scatter<double>(store, (r, c, seg) => RandomAccess.Write(handle, MemoryMarshal.AsBytes(seg), start + ((long)r * m.Cols + c) * 8), progress, cancellation);
        file.Commit();
    }

    /// <summary>The whole kernel in memory as float64 (float32 stores are widened exactly).</summary>
    /// <exception cref="KernelRequestException">It does not fit in the memory available.</exception>
    public static Matrix<double> ReadDense(TileStore store, IProgress<double>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        EnsureComplete(store);
        var m = store.Manifest;
        MemoryBudget.EnsureFits(m.Rows, m.Cols, 1, 8, null, "the merged kernel");
        var result = new Matrix<double>(m.Rows, m.Cols, GC.AllocateUninitializedArray<double>(checked(m.Rows * m.Cols)));
        if (m.ElementSize == 4)
            Scatter<float>(store, (r, c, seg) => System.Numerics.Tensors.TensorPrimitives.ConvertTruncating<float, double>(seg, result.Data.AsSpan(r * m.Cols + c, seg.Length)), progress, cancellation);
        else
            Scatter<double>(store, (r, c, seg) => seg.CopyTo(result.Data.AsSpan(r * m.Cols + c, seg.Length)), progress, cancellation);
        return result;
    }

    /// <summary>Throws unless every tile is done, saying which shards still have work.</summary>
    public static void EnsureComplete(TileStore store)
    {
        var status = StoreStatus.Collect(store);
        if (status.Complete) return;
        var left = status.Shards.Where(s => !s.Complete).ToList();
        string which = string.Join(", ", left.Take(8).Select(s => $"{s.Shard} ({s.Missing} left)")) + (left.Count > 8 ? $" and {left.Count - 8} more" : "");
        throw new DataFormatException($"{store.Directory}: the store is incomplete: {status.Tiles - status.Done} of {status.Tiles} tiles are not done (shards {which}); run those shards again, then merge");
    }

    private delegate void SegmentSink<T>(int row, int col, ReadOnlySpan<T> segment);

    /// <summary>
    /// Reads every tile once and hands each row of it to <paramref name="sink"/> at its place, and for an off-diagonal
    /// tile of a symmetric store each row of its transpose too.
    /// </summary>
    private static void Scatter<T>(TileStore store, SegmentSink<T> sink, IProgress<double>? progress, CancellationToken cancellation) where T : unmanaged
    {
        var grid = store.Grid;
        var reader = new TileReader(store);
        var transposed = new T[Math.Min(grid.TileSize, grid.Rows) * Math.Min(grid.TileSize, grid.Cols)];
        var tiles = grid.Tiles;
        for (int k = 0; k < tiles.Count; k++)
        {
            cancellation.ThrowIfCancellationRequested();
            var t = tiles[k];
            var view = reader.Read(t);
            var values = MemoryMarshal.Cast<byte, T>(view.Bytes);
            int r0 = grid.RowRange(t.Row).Start, c0 = grid.ColRange(t.Col).Start;
            for (int i = 0; i < view.Rows; i++) sink(r0 + i, c0, values.Slice(i * view.Cols, view.Cols));
            if (grid.Symmetric && t.Row != t.Col)
            {
                Transpose(values, view.Rows, view.Cols, transposed);
                for (int j = 0; j < view.Cols; j++) sink(c0 + j, r0, transposed.AsSpan(j * view.Rows, view.Rows));
            }
            progress?.Report((k + 1.0) / tiles.Count);
        }
    }

    /// <summary>dst (cols x rows) = srcᵀ, in 16 x 16 blocks so both sides stay in cache.</summary>
    internal static void Transpose<T>(ReadOnlySpan<T> src, int rows, int cols, Span<T> dst)
    {
        const int b = 16;
        for (int i0 = 0; i0 < rows; i0 += b)
            for (int j0 = 0; j0 < cols; j0 += b)
            {
                int iMax = Math.Min(i0 + b, rows), jMax = Math.Min(j0 + b, cols);
                for (int j = j0; j < jMax; j++)
                    for (int i = i0; i < iMax; i++)
                        dst[j * rows + i] = src[i * cols + j];
            }
    }
}
