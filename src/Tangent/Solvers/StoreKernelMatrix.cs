using Tangent.IO;
using Tangent.Linalg;
using Tangent.Sharding;

namespace Tangent.Solvers;

/// <summary>
/// A kernel read from a tile store, one tile at a time, never whole: each product streams every stored tile once
/// (a symmetric store's off-diagonal tiles serve both K x and their transposes), so memory is a few tiles whatever
/// the kernel's size, and every tile is checksummed as it is read.
/// </summary>
public class StoreKernelMatrix : IKernelMatrix
{
    private readonly TileStream _stream;
    private double[] _widened = [];

    /// <summary>Reads <paramref name="store"/>, which must be complete.</summary>
    /// <exception cref="DataFormatException">The store is incomplete.</exception>
    public StoreKernelMatrix(TileStore store)
    {
        Store = store ?? throw new ArgumentNullException(nameof(store));
        StoreMerger.EnsureComplete(store);
        _stream = new TileStream(store);
    }

    /// <summary>The store.</summary>
    public TileStore Store { get; }

    /// <inheritdoc/>
    public int Rows => Store.Manifest.Rows;

    /// <inheritdoc/>
    public int Cols => Store.Manifest.Cols;

    /// <summary>Complete reads of the store so far (products and column samples; reading the diagonal tiles counts as none).</summary>
    public int Passes { get; private set; }

    /// <summary>Bytes of tiles read so far.</summary>
    public long BytesRead => _stream.BytesRead;

    /// <inheritdoc/>
    public long WorkingBytes => WorkingBytesFor(Store.Manifest);

    /// <summary>Bytes a reader of a store like <paramref name="m"/> keeps: two read buffers, and a float64 copy of a tile for float32 stores.</summary>
    public static long WorkingBytesFor(StoreManifest m)
    {
        long tile = (long)Math.Min(m.TileSize, m.Rows) * Math.Min(m.TileSize, m.Cols);
        return 2 * (tile * m.ElementSize + 4096) + (m.ElementSize == 4 ? tile * 8 : 0);
    }

    /// <inheritdoc/>
    public void Multiply(ReadOnlyMemory<double> x, int k, Memory<double> y, CancellationToken cancellation = default)
    {
        if (x.Length < (long)Cols * k || y.Length < (long)Rows * k) throw new ArgumentException("x must be Cols x k and y Rows x k");
        var grid = Store.Grid;
        y.Span[..(Rows * k)].Clear();
        var la = LinearAlgebra.Current;
        Stream(grid.Tiles, view =>
        {
            var t = AsDouble(view);
            var (r0, rows) = grid.RowRange(view.Index.Row);
            var (c0, cols) = grid.ColRange(view.Index.Col);
            la.GemmNN(rows, k, cols, 1.0, t, x.Span.Slice(c0 * k, cols * k), 1.0, y.Span.Slice(r0 * k, rows * k));
            // The transpose of an upper tile is the lower tile it stands for: K[C, R] x[R] += Tᵀ x[R].
            if (grid.Symmetric && view.Index.Row != view.Index.Col)
                la.GemmTN(cols, k, rows, 1.0, t, x.Span.Slice(r0 * k, rows * k), 1.0, y.Span.Slice(c0 * k, cols * k));
        }, cancellation, countsAsPass: true);
    }

    /// <summary>The tile as float64 values: the buffer itself for float64 stores, an exact widening for float32.</summary>
    protected ReadOnlySpan<double> AsDouble(TileView view)
    {
        if (!view.IsFloat32) return view.Float64;
        int n = view.Rows * view.Cols;
        if (_widened.Length < n) _widened = new double[n];
        view.CopyTo(_widened.AsSpan(0, n));
        return _widened.AsSpan(0, n);
    }

    /// <summary>Runs <paramref name="work"/> on the given tiles in order, with read-ahead, counting a pass.</summary>
    protected void Stream(IReadOnlyList<TileIndex> tiles, Action<TileView> work, CancellationToken cancellation, bool countsAsPass)
    {
        _stream.ForEach(tiles, work, cancellation);
        if (countsAsPass) Passes++;
    }
}

/// <summary>A symmetric store (x1 with itself) as a training kernel: products, diagonal, sampled columns.</summary>
public sealed class StoreTrainingKernel : StoreKernelMatrix, ITrainingKernel
{
    /// <summary>Reads <paramref name="store"/>, which must be complete and symmetric.</summary>
    /// <exception cref="DataFormatException">The store is incomplete or is not of a training set with itself.</exception>
    public StoreTrainingKernel(TileStore store) : base(store)
    {
        if (!store.Manifest.Symmetric)
            throw new DataFormatException($"{store.Directory}: a training kernel must be of the training inputs with themselves (made without --x2); this store is {store.Manifest.Rows} x {store.Manifest.Cols} of two input sets");
    }

    /// <inheritdoc/>
    public void Diagonal(Memory<double> diagonal, CancellationToken cancellation = default)
    {
        var grid = Store.Grid;
        var tiles = Enumerable.Range(0, grid.RowTiles).Select(r => new TileIndex(r, r)).ToList();
        Stream(tiles, view =>
        {
            int r0 = grid.RowRange(view.Index.Row).Start;
            var t = AsDouble(view);
            var d = diagonal.Span;
            for (int i = 0; i < view.Rows; i++) d[r0 + i] = t[i * view.Cols + i];
        }, cancellation, countsAsPass: false);
    }

    /// <inheritdoc/>
    public void Columns(ReadOnlyMemory<int> sample, Memory<double> result, CancellationToken cancellation = default)
    {
        var columns = sample.Span;
        int m = columns.Length;
        for (int s = 1; s < m; s++)
            if (columns[s] <= columns[s - 1]) throw new ArgumentException("columns must be strictly increasing", nameof(columns));
        if (m > 0 && (columns[0] < 0 || columns[m - 1] >= Cols)) throw new ArgumentOutOfRangeException(nameof(columns));
        var grid = Store.Grid;
        // For each tile column: (position in the sample, column within the tile) of the sampled columns it holds.
        var inTile = new List<(int S, int Local)>[grid.ColTiles];
        for (int c = 0; c < grid.ColTiles; c++) inTile[c] = [];
        for (int s = 0; s < m; s++) inTile[columns[s] / grid.TileSize].Add((s, columns[s] % grid.TileSize));
        if (result.Length < (long)Rows * m) throw new ArgumentException("result must be Rows x m", nameof(result));
        Stream(grid.Tiles, view =>
        {
            var t = AsDouble(view);
            var output = result.Span;
            var (r0, rows) = grid.RowRange(view.Index.Row);
            var (c0, cols) = grid.ColRange(view.Index.Col);
            foreach (var (s, local) in inTile[view.Index.Col])        // K[R, j] = T[:, j - c0]
                for (int i = 0; i < rows; i++) output[(r0 + i) * m + s] = t[i * cols + local];
            if (view.Index.Row != view.Index.Col)
                foreach (var (s, local) in inTile[view.Index.Row])    // K[C, j] = T[j - r0, :] for j in the tile's rows
                    for (int jj = 0; jj < cols; jj++) output[(c0 + jj) * m + s] = t[local * cols + jj];
        }, cancellation, countsAsPass: true);
    }
}
