namespace Tangent.Sharding;

/// <summary>
/// How an N1 x N2 kernel is cut into square tiles of <see cref="TileSize"/> rows and columns (the last row and column
/// of tiles may be smaller), which tiles are stored, and which shard computes each one.
/// A symmetric kernel (x1 with itself) stores only the tiles on and above the diagonal: the rest are transposes.
/// </summary>
public sealed class TileGrid
{
    private readonly TileIndex[] _tiles;

    /// <summary>A grid over an <paramref name="rows"/> x <paramref name="cols"/> kernel.</summary>
    public TileGrid(int rows, int cols, int tileSize, bool symmetric)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(cols, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(tileSize, 1);
        if (symmetric && rows != cols) throw new ArgumentException($"a symmetric kernel is square, not {rows} x {cols}");
        Rows = rows;
        Cols = cols;
        TileSize = tileSize;
        Symmetric = symmetric;
        RowTiles = (rows + tileSize - 1) / tileSize;
        ColTiles = (cols + tileSize - 1) / tileSize;
        var tiles = new List<TileIndex>();
        for (int r = 0; r < RowTiles; r++)
            for (int c = symmetric ? r : 0; c < ColTiles; c++) tiles.Add(new TileIndex(r, c));
        _tiles = [.. tiles];
    }

    /// <summary>Rows of the kernel (points of x1).</summary>
    public int Rows { get; }
    /// <summary>Columns of the kernel (points of x2, or of x1 again when symmetric).</summary>
    public int Cols { get; }
    /// <summary>Rows and columns of a full tile.</summary>
    public int TileSize { get; }
    /// <summary>True when only tiles on and above the diagonal are stored.</summary>
    public bool Symmetric { get; }
    /// <summary>Tiles down the kernel.</summary>
    public int RowTiles { get; }
    /// <summary>Tiles across the kernel.</summary>
    public int ColTiles { get; }

    /// <summary>The stored tiles in canonical order: row by row, left to right (upper triangle only when symmetric).</summary>
    public IReadOnlyList<TileIndex> Tiles => _tiles;

    /// <summary>First kernel row and number of rows of tile row <paramref name="r"/>.</summary>
    public (int Start, int Length) RowRange(int r) => Range(r, Rows);

    /// <summary>First kernel column and number of columns of tile column <paramref name="c"/>.</summary>
    public (int Start, int Length) ColRange(int c) => Range(c, Cols);

    /// <summary>
    /// The shard that computes the tile at position <paramref name="ordinal"/> of <see cref="Tiles"/>: round robin, so every
    /// shard gets tiles from the whole kernel (diagonal tiles, which cost about half, are spread evenly too) and the
    /// counts differ by at most one. Depends only on the ordinal and the shard count, so every runner agrees.
    /// </summary>
    public static int ShardOf(int ordinal, int shardCount) => ordinal % shardCount;

    /// <summary>The tiles of one shard, in canonical order.</summary>
    public IEnumerable<TileIndex> TilesOf(ShardSpec shard)
    {
        for (int k = shard.Index; k < _tiles.Length; k += shard.Count) yield return _tiles[k];
    }

    /// <summary>Whether the tile is on the diagonal of a symmetric kernel (stored with both triangles, exactly symmetric).</summary>
    public bool IsDiagonal(TileIndex t) => Symmetric && t.Row == t.Col;

    /// <summary>Position of <paramref name="t"/> in <see cref="Tiles"/>.</summary>
    public int OrdinalOf(TileIndex t)
    {
        if (t.Row < 0 || t.Row >= RowTiles || t.Col < 0 || t.Col >= ColTiles || (Symmetric && t.Col < t.Row))
            throw new ArgumentOutOfRangeException(nameof(t), $"tile {t} is not stored in this grid");
        if (!Symmetric) return t.Row * ColTiles + t.Col;
        // Rows 0..r-1 of the upper triangle hold sum over i < r of (ColTiles - i) tiles.
        return t.Row * ColTiles - t.Row * (t.Row - 1) / 2 + (t.Col - t.Row);
    }

    private (int Start, int Length) Range(int index, int extent)
    {
        long start = (long)index * TileSize;
        if (index < 0 || start >= extent) throw new ArgumentOutOfRangeException(nameof(index));
        return ((int)start, (int)Math.Min(TileSize, extent - start));
    }
}
