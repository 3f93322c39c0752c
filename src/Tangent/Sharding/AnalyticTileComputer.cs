using System.Numerics;
using Tangent.Kernels;
using Tangent.Layers;
using Tangent.Linalg;
using Tangent.Specs;

namespace Tangent.Sharding;

/// <summary>
/// Computes tiles of an analytic kernel: tile (r, c) is the kernel between the rows of tile row r and those of tile
/// column c, and a diagonal tile of a symmetric kernel is the kernel of its rows with themselves (exactly symmetric,
/// exact diagonal), as <see cref="AnalyticKernel"/> computes them for the whole matrix.
/// </summary>
public sealed class AnalyticTileComputer<T> : ITileComputer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Architecture _architecture;
    private readonly Matrix<T> _x1;
    private readonly Matrix<T>? _x2;
    private readonly TensorShape _shape;
    private readonly bool _ntk;
    private readonly TileGrid _grid;
    private readonly int _maxThreads;

    /// <summary>A computer for the tiles of <paramref name="grid"/>.</summary>
    /// <param name="architecture">The network.</param>
    /// <param name="x1">Row inputs, one example per row.</param>
    /// <param name="x2">Column inputs, or null for the kernel of x1 with itself (then <paramref name="grid"/> must be symmetric).</param>
    /// <param name="exampleShape">Shape of one example (flat, or images / sequences).</param>
    /// <param name="ntk">The NTK (true) or the NNGP (false).</param>
    /// <param name="grid">The tiling.</param>
    /// <param name="maxThreads">Threads per tile (-1: all cores). Does not change the result's bits.</param>
    public AnalyticTileComputer(Architecture architecture, Matrix<T> x1, Matrix<T>? x2, TensorShape exampleShape, bool ntk, TileGrid grid, int maxThreads = -1)
    {
        _architecture = architecture ?? throw new ArgumentNullException(nameof(architecture));
        _x1 = x1 ?? throw new ArgumentNullException(nameof(x1));
        _grid = grid ?? throw new ArgumentNullException(nameof(grid));
        if (grid.Symmetric != x2 is null) throw new ArgumentException("a symmetric grid goes with x2 = null, and only then");
        if (grid.Rows != x1.Rows || grid.Cols != (x2 ?? x1).Rows) throw new ArgumentException($"the grid is {grid.Rows} x {grid.Cols} but the inputs have {x1.Rows} and {(x2 ?? x1).Rows} rows");
        _x2 = x2;
        _shape = exampleShape;
        _ntk = ntk;
        _maxThreads = maxThreads;
    }

    /// <inheritdoc/>
    public T[] Compute(TileIndex tile, CancellationToken cancellation)
    {
        var (r0, rows) = _grid.RowRange(tile.Row);
        var (c0, cols) = _grid.ColRange(tile.Col);
        var options = new KernelOptions { Ntk = _ntk, MaxThreads = _maxThreads, Cancellation = cancellation };
        var a = Slice(_x1, r0, rows);
        var result = _grid.IsDiagonal(tile)
            ? AnalyticKernel.ComputeImages(_architecture, a, _shape, null, options)
            : AnalyticKernel.ComputeImages(_architecture, a, _shape, Slice(_x2 ?? _x1, c0, cols), options);
        return (_ntk ? result.Ntk! : result.Nngp).Data;
    }

    /// <summary>Rows start .. start+count of <paramref name="x"/> (a copy: the engines take whole matrices).</summary>
    private static Matrix<T> Slice(Matrix<T> x, int start, int count) =>
        new(count, x.Cols, x.Data.AsSpan(start * x.Cols, count * x.Cols).ToArray());
}
